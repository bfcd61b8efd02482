using System.Security.Claims;
using LiveClassroom.Server.Alliances;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.ContinuingEducation;
using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Apis;

/// <summary>Members and roles, membership applications, the yearly assessment and the alliance's research sessions.</summary>
public static partial class AlliancesApi
{
    private static readonly Guid DefaultRubricTemplateId = Guid.Parse("00000000-0000-7000-8000-00000000a001");

    private static void MapMembers(IEndpointRouteBuilder app)
    {
        app.MapPut("/api/alliances/{id:guid}/members/{personId:guid}", SetMemberAsync)
            .Doc("SetAllianceMember", "The chief or the level's admin makes a person an expert, core teacher or member (caps: 10 experts, 15 core)",
                204, 400, 403, 404, 409).Body<AllianceMemberRequest>();
        app.MapDelete("/api/alliances/{id:guid}/members/{personId:guid}", RemoveMemberAsync)
            .Doc("RemoveAllianceMember", "The chief or the level's admin removes a member (a member may leave); the chief stays", 204, 403, 404, 409);
        app.MapPost("/api/alliances/{id:guid}/applications", JoinAsync)
            .Doc<AllianceApplicationView>("ApplyToJoinAlliance", "A teacher under the alliance's level asks to join a certified alliance", 201, 400, 403, 404, 409)
            .Body<AllianceJoinRequest>();
        app.MapGet("/api/alliances/{id:guid}/applications", ApplicationsAsync)
            .Doc<IReadOnlyList<AllianceApplicationView>>("ListAllianceApplications", "Pending membership applications, for the chief and the level's admin", 200, 403, 404);
        app.MapPost("/api/alliances/{id:guid}/applications/{applicationId:guid}/accept",
                (Guid id, Guid applicationId, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store, ServerClock time, CancellationToken ct) =>
                    DecideApplicationAsync(id, applicationId, true, null, user, rights, store, time, ct))
            .Doc("AcceptAllianceApplication", "The chief (or the level's admin) accepts an application: the applicant becomes a member", 204, 403, 404, 409);
        app.MapPost("/api/alliances/{id:guid}/applications/{applicationId:guid}/reject", RejectApplicationAsync)
            .Doc("RejectAllianceApplication", "The chief (or the level's admin) rejects an application with a reason", 204, 400, 403, 404, 409)
            .Body<AllianceReasonRequest>();
        app.MapGet("/api/alliances/{id:guid}/figures", FiguresAsync)
            .Doc<AllianceFigures>("GetAllianceFigures", "A year's activity figures computed from sessions, live classes, resources and participation", 200, 400, 403, 404);
        app.MapPost("/api/alliances/{id:guid}/assessments", AssessAsync)
            .Doc<AllianceAssessmentView>("AssessAlliance", "The level's admin scores the year and decides: keep, up (to the parent), down (to a child level) or exit",
                201, 400, 403, 404, 409).Body<AllianceAssessmentRequest>();
        app.MapPost("/api/alliances/{id:guid}/sessions", ScheduleAsync)
            .Doc<AllianceSessionView>("ScheduleAllianceSession", "The chief, an expert or the level's admin schedules a research session with every member invited",
                201, 400, 403, 404, 409).Body<AllianceSessionRequest>();
    }

    /// <summary>The alliance and the calling person, or why not: 404 for no such alliance, 403 when <paramref name="allowed"/> says no.</summary>
    private static async Task<(AllianceRecord? Alliance, Guid Me, IResult? Refusal)> AllowedAsync(Guid id, ClaimsPrincipal user, AllianceStore store,
        Func<AllianceRecord, Guid, bool> allowed, AllianceAccess rights, CancellationToken ct)
    {
        var me = rights.Policy.PersonId(user);
        var a = await store.FindAsync(id, ct);
        if (a is null)
        {
            return (null, default, ApiErrors.NotFound());
        }
        return me is null || !allowed(a, me.Value) ? (null, default, ApiErrors.Forbidden()) : (a, me.Value, null);
    }

    /// <summary>The chief or the level's admin.</summary>
    private static Task<(AllianceRecord? Alliance, Guid Me, IResult? Refusal)> ManagedAsync(Guid id, ClaimsPrincipal user, AllianceAccess rights,
        AllianceStore store, CancellationToken ct) =>
        AllowedAsync(id, user, store, (a, me) => rights.MayManage(user, a, me), rights, ct);

    /// <summary>Only the admin of the alliance's own level: not the schools below, not a neighbouring county, not the level above.</summary>
    private static Task<(AllianceRecord? Alliance, Guid Me, IResult? Refusal)> LevelAdminAsync(Guid id, ClaimsPrincipal user, AllianceAccess rights,
        AllianceStore store, CancellationToken ct) =>
        AllowedAsync(id, user, store, (a, _) => rights.IsLevelAdmin(user, a.OrganisationId), rights, ct);

    private static async Task<IResult> SetMemberAsync(Guid id, Guid personId, HttpContext context, ClaimsPrincipal user, AllianceAccess rights,
        AllianceStore store, ServerClock time, CancellationToken ct)
    {
        var (a, me, refusal) = await ManagedAsync(id, user, rights, store, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var (body, error) = await RequestBody.ReadAsync<AllianceMemberRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        if (body.Role is null || !AllianceRules.AssignableRoles.Contains(body.Role))
        {
            // "chief" too: an alliance has exactly one, named when it is proposed.
            return ApiErrors.Validation("role", body.Role is null ? "required" : "invalid");
        }
        var eligible = await store.EligibleAsync(rights.Policy.Tree.SubtreeOf(a!.OrganisationId), [personId], ct);
        if (!eligible.TryGetValue(personId, out var teaches) || (!teaches && body.Role != AllianceRules.Expert))
        {
            return ApiErrors.Validation("personId", "not_eligible");
        }
        var outcome = await store.SetMemberAsync(id, personId, body.Role, me, time.GetUtcNow(), ct);
        return outcome == AllianceStore.Outcome.Done ? Results.NoContent() : Refusal(outcome);
    }

    private static async Task<IResult> RemoveMemberAsync(Guid id, Guid personId, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store,
        ServerClock time, CancellationToken ct)
    {
        var me = rights.Policy.PersonId(user);
        var a = await store.FindAsync(id, ct);
        if (a is null)
        {
            return ApiErrors.NotFound();
        }
        if (me is null || (me != personId && !rights.MayManage(user, a, me)))
        {
            return ApiErrors.Forbidden();
        }
        var outcome = await store.RemoveMemberAsync(id, personId, me.Value, time.GetUtcNow(), ct);
        return outcome == AllianceStore.Outcome.Done ? Results.NoContent() : Refusal(outcome);
    }

    private static async Task<IResult> JoinAsync(Guid id, HttpContext context, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store,
        ServerClock time, CancellationToken ct)
    {
        var me = rights.Policy.PersonId(user);
        var a = await store.FindAsync(id, ct);
        if (a is null)
        {
            return ApiErrors.NotFound();
        }
        if (me is null || !rights.IsTeacherUnder(user, a.OrganisationId))
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<AllianceJoinRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        Text(fields, "note", body.Note, 500, false);
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        if (!a.IsActive)
        {
            return Conflict("not_open", "Only a certified alliance takes members.", "只有已认定的联盟可以申请加入。");
        }
        if (a.Members.ContainsKey(me.Value))
        {
            return Conflict("already_member", "You are already a member of this alliance.", "您已是该联盟成员。");
        }
        var note = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
        var (outcome, appId) = await store.ApplyToJoinAsync(id, me.Value, note, time.GetUtcNow(), ct);
        if (outcome != AllianceStore.Outcome.Done)
        {
            return Conflict("already_applied", "Your application to this alliance is already waiting for the chief.", "您的入盟申请正在等待首席名师处理。");
        }
        return Results.Json((await store.ApplicationsAsync(id, me.Value, ct)).Single(x => x.Id == appId), statusCode: 201);
    }

    private static async Task<IResult> ApplicationsAsync(Guid id, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store, CancellationToken ct)
    {
        var (_, _, refusal) = await ManagedAsync(id, user, rights, store, ct);
        return refusal ?? Results.Ok(await store.ApplicationsAsync(id, null, ct));
    }

    private static async Task<IResult> RejectApplicationAsync(Guid id, Guid applicationId, HttpContext context, ClaimsPrincipal user, AllianceAccess rights,
        AllianceStore store, ServerClock time, CancellationToken ct)
    {
        var (_, _, refusal) = await ManagedAsync(id, user, rights, store, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var (reason, error) = await ReadReasonAsync(context, ct);
        return error ?? await DecideApplicationAsync(id, applicationId, false, reason, user, rights, store, time, ct);
    }

    private static async Task<IResult> DecideApplicationAsync(Guid id, Guid applicationId, bool accept, string? reason, ClaimsPrincipal user,
        AllianceAccess rights, AllianceStore store, ServerClock time, CancellationToken ct)
    {
        var (_, me, refusal) = await ManagedAsync(id, user, rights, store, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var outcome = await store.DecideApplicationAsync(id, applicationId, accept, reason, me, time.GetUtcNow(), ct);
        return outcome == AllianceStore.Outcome.Done ? Results.NoContent() : Refusal(outcome);
    }

    private static async Task<IResult> FiguresAsync(Guid id, string? year, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store, ServerClock time,
        CancellationToken ct)
    {
        if (ParseYear(year, time) is not { } y)
        {
            return ApiErrors.Validation("year", "invalid");
        }
        var (a, _, refusal) = await AllowedAsync(id, user, store, (a, me) => rights.MaySee(user, a, me), rights, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        return Results.Ok(await store.FiguresAsync(id, [.. a!.Members.Keys], y, ct));
    }

    private static async Task<IResult> AssessAsync(Guid id, HttpContext context, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store,
        ServerClock time, CancellationToken ct)
    {
        var (alliance, me, refusal) = await LevelAdminAsync(id, user, rights, store, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var a = alliance!;
        var (body, error) = await RequestBody.ReadAsync<AllianceAssessmentRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var tree = rights.Policy.Tree;
        var now = time.GetUtcNow();
        var fields = new Dictionary<string, string>();
        if (body.Year is not { } year || year < 2000 || year > CeRules.SchoolYear(now))
        {
            fields["year"] = body.Year is null ? "required" : "invalid";
        }
        if (body.Score is not (>= 0 and <= 100))
        {
            fields["score"] = body.Score is null ? "required" : "invalid";
        }
        Text(fields, "comment", body.Comment, 2000, true);
        Guid? to = null;
        var node = tree.Find(a.OrganisationId)!;
        switch (body.Decision)
        {
            case null:
                fields["decision"] = "required";
                break;
            case "up":
                // Up one level: county → city → province; a province alliance has nowhere higher to go.
                if (node.Kind == OrganisationKinds.Province || node.ParentId is null)
                {
                    fields["decision"] = "no_level_above";
                }
                to = node.ParentId;
                break;
            case "down":
                // Down one level, to a named child that is itself a level (a city's county, a province's city).
                if (body.TargetOrganisationId is not { } target)
                {
                    fields["targetOrganisationId"] = node.Kind == OrganisationKinds.County ? "no_level_below" : "required";
                }
                else if (tree.Find(target) is not { } child || child.ParentId != node.Id || child.Kind == OrganisationKinds.School)
                {
                    fields["targetOrganisationId"] = "not_a_child_level";
                }
                to = body.TargetOrganisationId;
                break;
            case "keep" or "exit":
                break;
            default:
                fields["decision"] = "invalid";
                break;
        }
        if (body.Decision != "down" && body.TargetOrganisationId is not null)
        {
            fields["targetOrganisationId"] = "not_allowed";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var figures = await store.FiguresAsync(id, [.. a.Members.Keys], body.Year!.Value, ct);
        var outcome = await store.AssessAsync(id, body.Year.Value, body.Score!.Value, body.Comment!.Trim(), body.Decision!, to, figures, me, now, ct);
        if (outcome != AllianceStore.Outcome.Done)
        {
            return outcome == AllianceStore.Outcome.Duplicate
                ? Conflict("already_assessed", $"The alliance has already been assessed for {body.Year}.", $"该联盟 {body.Year} 年度已考核。")
                : Refusal(outcome);
        }
        return Results.Json((await store.AssessmentsAsync(id, ct)).First(x => x.Year == body.Year), statusCode: 201);
    }

    private static async Task<IResult> ScheduleAsync(Guid id, HttpContext context, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store,
        ResearchStore research, ServerClock time, CancellationToken ct)
    {
        var (alliance, me, refusal) = await AllowedAsync(id, user, store, (a, me) => rights.MaySchedule(user, a, me), rights, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var a = alliance!;
        var (body, error) = await RequestBody.ReadAsync<AllianceSessionRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        Text(fields, "title", body.Title, 200, true);
        Text(fields, "subject", body.Subject, 50, false);
        var stage = body.Stage ?? a.Stage;
        if (!ResearchValidation.Stages.Contains(stage))
        {
            fields["stage"] = body.Stage is null ? "required" : "invalid";
        }
        if (body.ScheduledStart is null)
        {
            fields["scheduledStart"] = "required";
        }
        var minutes = body.DurationMinutes ?? 90;
        if (minutes is < 15 or > 480)
        {
            fields["durationMinutes"] = "invalid";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        // The chief or an expert hosts their own session; one the level's admin schedules is hosted by the chief.
        var host = a.Members.GetValueOrDefault(me) is AllianceRules.Chief or AllianceRules.Expert ? me : a.ChiefId;
        var template = (await research.TemplatesAsync(ct)).FirstOrDefault(t => t.Id == DefaultRubricTemplateId) ?? (await research.TemplatesAsync(ct))[0];
        var invitations = a.Members.Keys.Where(p => p != host).Select(p => new InvitationRecord(p, null, "participant")).ToList();
        var session = new ResearchSessionRecord(Guid.CreateVersion7(), a.OrganisationId, body.Title!.Trim(), "mixed",
            string.IsNullOrWhiteSpace(body.Subject) ? a.Subject : body.Subject.Trim(), stage, "", "", body.ScheduledStart!.Value, host, me,
            "scheduled", 300, template.Id, template.Rubric, null, null, [new SegmentRecord(0, "free", a.Name, minutes * 60, null, null)], invitations);
        var outcome = await store.ScheduleSessionAsync(id, session, me, time.GetUtcNow(), ct);
        if (outcome != AllianceStore.Outcome.Done)
        {
            return Refusal(outcome);
        }
        return Results.Json(new AllianceSessionView(session.Id, session.Title, session.Status, session.ScheduledStart, []), statusCode: 201);
    }
}
