using System.Globalization;
using System.Security.Claims;
using LiveClassroom.Server.Alliances;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.ContinuingEducation;
using LiveClassroom.Server.Hosting;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// 教研联盟 (docs/API-PLATFORM.md, "Teaching-research alliances"): a teacher or school proposes an alliance at a
/// county, city or province; that level's admin certifies it (two guiding experts at least) or rejects it; members ask
/// to join and the chief accepts; the level's admin assesses it yearly on figures the platform computes and moves it
/// up, down or out. Lifecycle here; members, applications, assessments and sessions in AlliancesApi.Members.cs.
/// </summary>
public static partial class AlliancesApi
{
    public static IEndpointRouteBuilder MapAlliancesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/alliances", ListAsync)
            .Doc<AllianceList>("ListAlliances", "Alliances in the caller's scope (their levels, and below for admins) and those they belong to", 200, 403);
        app.MapGet("/api/alliances/levels", Levels)
            .Doc<AllianceLevelList>("ListAllianceLevels", "The counties, cities and provinces above the caller's school where they may propose an alliance", 200, 403);
        app.MapGet("/api/alliances/candidates", CandidatesAsync)
            .Doc<AllianceCandidateList>("SearchAllianceCandidates",
                "Searches (by name, or staff number prefix) the teachers and researchers under a level who may take a role in its alliances: at most 20, for who may propose there or its admin",
                200, 400, 403);
        app.MapPost("/api/alliances", ApplyAsync)
            .Doc<AllianceSummary>("ApplyAlliance", "A teacher or school admin proposes an alliance at a level above their school, with its plan and chief", 201, 400, 403)
            .Body<AllianceApplyRequest>();
        app.MapGet("/api/alliances/{id:guid}", DetailAsync)
            .Doc<AllianceDetail>("GetAlliance", "An alliance's page: plan, members by role, this year's figures, sessions, pairings, lessons broadcast, resources, assessments", 200, 403, 404);
        app.MapPost("/api/alliances/{id:guid}/certify", CertifyAsync)
            .Doc<AllianceSummary>("CertifyAlliance", "The admin of the alliance's level certifies it (at least two guiding experts)", 200, 403, 404, 409);
        app.MapPost("/api/alliances/{id:guid}/reject", RejectAsync)
            .Doc<AllianceSummary>("RejectAlliance", "The admin of the alliance's level rejects the proposal with a reason", 200, 400, 403, 404, 409)
            .Body<AllianceReasonRequest>();
        MapMembers(app);
        MapPairings(app);
        return app;
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, AllianceAccess rights, AllianceStore store, CancellationToken ct)
    {
        if (rights.Policy.PersonId(user) is not { } me)
        {
            return ApiErrors.Forbidden();
        }
        var list = await store.ListAsync(rights.Scope(user), me, ct);
        var visible = list.Where(a => rights.MaySee(user, a, me)).ToList();
        var names = await store.PeopleAsync(visible.Select(a => a.ChiefId), ct);
        return Results.Ok(new AllianceList([.. visible.Select(a => Summary(a, user, me, rights, names))]));
    }

    private static IResult Levels(ClaimsPrincipal user, AllianceAccess rights)
    {
        var access = rights.Policy;
        if (access.PersonId(user) is null)
        {
            return ApiErrors.Forbidden();
        }
        var levels = access.RolesOf(user)
            .SelectMany(g => access.Tree.PathToRoot(g.OrganisationId))
            .Where(n => n.Kind is OrganisationKinds.County or OrganisationKinds.City or OrganisationKinds.Province && rights.MayPropose(user, n.Id))
            .DistinctBy(n => n.Id)
            .OrderByDescending(n => OrganisationKinds.TopDown.ToList().IndexOf(n.Kind))
            .Select(n => new AllianceLevel(n.Id, n.Name, n.Kind))
            .ToList();
        return Results.Ok(new AllianceLevelList(levels));
    }

    /// <summary>
    /// The people picker: a term is required (one Chinese character or two others), at most 20 matches come back with
    /// only what choosing needs, and only under a level where the caller may propose an alliance or is its admin.
    /// </summary>
    private static async Task<IResult> CandidatesAsync(string? organisationId, string? q, string? kind, ClaimsPrincipal user, AllianceAccess rights,
        AllianceStore store, CancellationToken ct)
    {
        var access = rights.Policy;
        if (access.PersonId(user) is null)
        {
            return ApiErrors.Forbidden();
        }
        var fields = new Dictionary<string, string>();
        var parsed = Guid.TryParse(organisationId, out var org);
        var node = parsed ? access.Tree.Find(org) : null;
        if (!parsed)
        {
            fields["organisationId"] = string.IsNullOrEmpty(organisationId) ? "required" : "invalid_format";
        }
        else if (node is not null && node.Kind is not (OrganisationKinds.Province or OrganisationKinds.City or OrganisationKinds.County))
        {
            fields["organisationId"] = "invalid_level";
        }
        if (CandidateSearch.Problem(q) is { } problem)
        {
            fields["q"] = problem;
        }
        if (kind is not (null or "teacher" or "any"))
        {
            fields["kind"] = "invalid";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        // An unknown organisation is refused as one the caller may not search: the answer does not tell which ids exist.
        if (node is null || !(rights.MayPropose(user, org) || rights.IsLevelAdmin(user, org)))
        {
            return ApiErrors.Forbidden();
        }
        var (items, more) = await store.SearchCandidatesAsync(access.Tree.SubtreeOf(org), q!, kind == "teacher", CandidateSearch.Limit, ct);
        return Results.Ok(new AllianceCandidateList(items, more));
    }

    private static async Task<IResult> ApplyAsync(HttpContext context, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store, ServerClock time,
        CancellationToken ct)
    {
        var access = rights.Policy;
        if (access.PersonId(user) is not { } me)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<AllianceApplyRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        var node = body.OrganisationId is { } o ? access.Tree.Find(o) : null;
        if (body.OrganisationId is null)
        {
            fields["organisationId"] = "required";
        }
        else if (node is null || node.Kind is not (OrganisationKinds.Province or OrganisationKinds.City or OrganisationKinds.County))
        {
            fields["organisationId"] = "invalid_level";
        }
        Text(fields, "name", body.Name, 100, true);
        Text(fields, "subject", body.Subject, 50, true);
        if (body.Stage is null || !AllianceRules.Stages.Contains(body.Stage))
        {
            fields["stage"] = body.Stage is null ? "required" : "invalid";
        }
        Text(fields, "plan", body.Plan, 4000, true);
        var experts = body.ExpertIds ?? [];
        var core = body.CoreIds ?? [];
        if (body.ChiefId is null)
        {
            fields["chiefId"] = "required";
        }
        if (experts.Count > AllianceRules.MaxExperts)
        {
            fields["expertIds"] = "too_many";
        }
        if (core.Count > AllianceRules.MaxCore)
        {
            fields["coreIds"] = "too_many";
        }
        var everyone = experts.Concat(core).Append(body.ChiefId ?? Guid.Empty).ToList();
        if (everyone.Distinct().Count() != everyone.Count)
        {
            fields["expertIds"] = "duplicate";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var org = node!.Id;
        if (!rights.MayPropose(user, org))
        {
            return ApiErrors.Forbidden();
        }
        // Everyone named must belong under the level: teachers for chief and core, teachers or researchers for experts.
        var eligible = await store.EligibleAsync(access.Tree.SubtreeOf(org), everyone, ct);
        if (!eligible.TryGetValue(body.ChiefId!.Value, out var chiefTeaches) || !chiefTeaches)
        {
            fields["chiefId"] = "not_eligible";
        }
        if (experts.Any(e => !eligible.ContainsKey(e)))
        {
            fields["expertIds"] = "not_eligible";
        }
        if (core.Any(c => !eligible.TryGetValue(c, out var teaches) || !teaches))
        {
            fields["coreIds"] = "not_eligible";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var members = new Dictionary<Guid, string> { [body.ChiefId.Value] = AllianceRules.Chief };
        foreach (var e in experts)
        {
            members[e] = AllianceRules.Expert;
        }
        foreach (var c in core)
        {
            members[c] = AllianceRules.Core;
        }
        var now = time.GetUtcNow();
        var alliance = new AllianceRecord(Guid.CreateVersion7(), org, body.Name!.Trim(), body.Subject!.Trim(), body.Stage!, body.Plan!.Trim(),
            AllianceRules.Applied, null, me, now, members);
        await store.CreateAsync(alliance, now, ct);
        var names = await store.PeopleAsync([alliance.ChiefId], ct);
        return Results.Json(Summary(alliance, user, me, rights, names), statusCode: 201);
    }

    private static async Task<IResult> DetailAsync(Guid id, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store, ServerClock time,
        CancellationToken ct)
    {
        var me = rights.Policy.PersonId(user);
        var a = await store.FindAsync(id, ct);
        if (a is null)
        {
            return ApiErrors.NotFound();
        }
        if (me is null || !rights.MaySee(user, a, me))
        {
            return ApiErrors.Forbidden();
        }
        var people = await store.PeopleAsync(a.Members.Keys, ct);
        var members = a.Members
            .Select(m => new AllianceMemberView(m.Key, people.GetValueOrDefault(m.Key).Name ?? "", people.GetValueOrDefault(m.Key).Organisation, m.Value))
            .OrderBy(m => RoleOrder(m.Role)).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
        var manage = rights.MayManage(user, a, me);
        var applications = manage ? await store.ApplicationsAsync(id, null, ct) : await store.ApplicationsAsync(id, me, ct);
        var canJoin = a.IsActive && !a.Members.ContainsKey(me.Value) && rights.IsTeacherUnder(user, a.OrganisationId)
            && !applications.Any(x => x.PersonId == me && x.Status == "pending");
        var figures = await store.FiguresAsync(id, [.. a.Members.Keys], CeRules.SchoolYear(time.GetUtcNow()), ct);
        var pairings = (await store.PairingsAsync(id, null, ct)).Select(p => WithRights(p, user, a, me, rights)).ToList();
        var schedulePairing = a.IsActive && AllianceAccess.MaySchedulePairing(a, me);
        return Results.Ok(new AllianceDetail(Summary(a, user, me.Value, rights, people), a.Plan, members, figures, await store.SessionsAsync(id, ct),
            await store.ResourcesAsync([.. a.Members.Keys], ct), await store.AssessmentsAsync(id, ct), applications, canJoin,
            a.IsActive && rights.MaySchedule(user, a, me), pairings, await store.BroadcastsAsync([.. a.Members.Keys], ct), schedulePairing,
            schedulePairing ? await store.PairingOptionsAsync(id, ct) : null));
    }

    private static Task<IResult> CertifyAsync(Guid id, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store, ServerClock time, CancellationToken ct) =>
        DecideAsync(id, true, null, user, rights, store, time, ct);

    private static async Task<IResult> RejectAsync(Guid id, HttpContext context, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store,
        ServerClock time, CancellationToken ct)
    {
        var (reason, error) = await ReadReasonAsync(context, ct);
        return error ?? await DecideAsync(id, false, reason, user, rights, store, time, ct);
    }

    /// <summary>A refusal's required reason (at most 500 characters), trimmed; or the error to answer with.</summary>
    private static async Task<(string? Reason, IResult? Error)> ReadReasonAsync(HttpContext context, CancellationToken ct)
    {
        var (body, error) = await RequestBody.ReadAsync<AllianceReasonRequest>(context.Request, ct);
        if (body is null)
        {
            return (null, error!);
        }
        var fields = new Dictionary<string, string>();
        Text(fields, "reason", body.Reason, 500, true);
        return fields.Count > 0 ? (null, ApiErrors.Validation(fields)) : (body.Reason!.Trim(), null);
    }

    private static async Task<IResult> DecideAsync(Guid id, bool certify, string? reason, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store,
        ServerClock time, CancellationToken ct)
    {
        var (_, me, refusal) = await LevelAdminAsync(id, user, rights, store, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var outcome = await store.DecideAsync(id, certify, reason, me, time.GetUtcNow(), ct);
        if (outcome != AllianceStore.Outcome.Done)
        {
            return Refusal(outcome);
        }
        var updated = (await store.FindAsync(id, ct))!;
        return Results.Ok(Summary(updated, user, me, rights, await store.PeopleAsync([updated.ChiefId], ct)));
    }

    private static AllianceSummary Summary(AllianceRecord a, ClaimsPrincipal user, Guid me, AllianceAccess rights,
        IReadOnlyDictionary<Guid, (string Name, string? Organisation)> names)
    {
        var node = rights.Policy.Tree.Find(a.OrganisationId);
        var levelAdmin = rights.IsLevelAdmin(user, a.OrganisationId);
        return new AllianceSummary(a.Id, a.OrganisationId, node?.Name ?? "", node?.Kind ?? "", a.Name, a.Subject, a.Stage, a.Status, a.StatusReason,
            a.ChiefId, names.GetValueOrDefault(a.ChiefId).Name ?? "", a.Members.Count, a.Count(AllianceRules.Expert), a.Count(AllianceRules.Core),
            a.Members.GetValueOrDefault(me), levelAdmin && a.Status == AllianceRules.Applied, levelAdmin && a.IsActive, rights.MayManage(user, a, me),
            a.AppliedAt);
    }

    private static int RoleOrder(string role) => role switch
    {
        AllianceRules.Chief => 0,
        AllianceRules.Expert => 1,
        AllianceRules.Core => 2,
        _ => 3,
    };

    private static IResult Refusal(AllianceStore.Outcome outcome) => outcome switch
    {
        AllianceStore.Outcome.NotFound => ApiErrors.NotFound(),
        AllianceStore.Outcome.TooFewExperts => Conflict("too_few_experts",
            $"An alliance needs at least {AllianceRules.MinExperts} guiding experts before it can be certified.",
            $"联盟至少需要 {AllianceRules.MinExperts} 名指导专家才能认定。"),
        AllianceStore.Outcome.CapReached => Conflict("role_full",
            $"The alliance already has the most allowed in this role ({AllianceRules.MaxExperts} experts, {AllianceRules.MaxCore} core teachers).",
            $"该角色人数已满（指导专家最多 {AllianceRules.MaxExperts} 名，核心名师最多 {AllianceRules.MaxCore} 名）。"),
        AllianceStore.Outcome.Duplicate => Conflict("duplicate", "This has already been done.", "已存在相同的记录。"),
        AllianceStore.Outcome.AlreadyConfirmed => Conflict("already_confirmed",
            "The pairing is already confirmed and its timetable exists; it cannot be rejected or withdrawn here (manage the pairing itself).",
            "该结对已确认，课表已生成，不能在此拒绝或撤回（请在结对管理中处理）。"),
        _ => Conflict("wrong_state", "The alliance (or application) is not in a state that allows this.", "联盟（或申请）当前的状态不允许此操作。"),
    };

    private static IResult Conflict(string code, string en, string zh) => Results.Json(new ErrorBody(code, en, zh), statusCode: 409);

    private static void Text(Dictionary<string, string> fields, string name, string? value, int max, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
            {
                fields[name] = "required";
            }
        }
        else if (value.Trim().Length > max)
        {
            fields[name] = "too_long";
        }
    }

    private static int? ParseYear(string? value, ServerClock time) =>
        value is null ? CeRules.SchoolYear(time.GetUtcNow())
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 2200 ? y : null;
}
