using System.Security.Claims;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Server.Alliances;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Hosting;
using PersonRef = LiveClassroom.Grains.Pairing.PersonRef;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Pairings (专递课堂 1+N) the chief or a guiding expert schedules among member schools (docs/API-PLATFORM.md,
/// "Alliance pairings"): a member's lead classroom and teacher with member rural classrooms, defined on the pairing
/// grain through <see cref="TermPairings"/>, the path a confirmed class order takes. One county: made at once.
/// Across counties: pending until the admin of the rural classrooms' county (or above) confirms, or rejects with a
/// reason; the chief, or the chief or expert who proposed it, may withdraw it while it is pending.
/// </summary>
public static partial class AlliancesApi
{
    private const int MaxRuralClassrooms = 10;

    private static void MapPairings(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/alliances/{id:guid}/pairings", SchedulePairingAsync).AddEndpointFilter<Rooms.RoomApiErrorFilter>()
            .Doc<AlliancePairingView>("ScheduleAlliancePairing",
                "The chief or a guiding expert pairs a member's lead classroom and teacher with member rural classrooms for a term (pending when it crosses counties)",
                201, 400, 403, 404, 409).Body<AlliancePairingRequest>();
        app.MapPost("/api/alliances/{id:guid}/pairings/{pairingId:guid}/confirm", ConfirmPairingAsync).AddEndpointFilter<Rooms.RoomApiErrorFilter>()
            .Doc<AlliancePairingView>("ConfirmAlliancePairing",
                "The admin of the rural classrooms' county (or above) confirms a pairing that crosses counties, creating it and its term timetable",
                200, 403, 404, 409);
        app.MapPost("/api/alliances/{id:guid}/pairings/{pairingId:guid}/reject", RejectPairingAsync)
            .Doc<AlliancePairingView>("RejectAlliancePairing",
                "The admin of the rural classrooms' county (or above) rejects a pending pairing with a reason; nothing is defined",
                200, 400, 403, 404, 409).Body<AllianceReasonRequest>();
        app.MapPost("/api/alliances/{id:guid}/pairings/{pairingId:guid}/cancel", CancelPairingAsync)
            .Doc<AlliancePairingView>("CancelAlliancePairing",
                "The alliance's chief, or the chief or guiding expert who proposed it, withdraws a pending pairing; nothing is defined",
                200, 403, 404, 409);
    }

    private static async Task<IResult> SchedulePairingAsync(Guid id, HttpContext context, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store,
        IGrainFactory grains, ServerClock time, CancellationToken ct)
    {
        var (alliance, me, refusal) = await AllowedAsync(id, user, store, (a, me) => AllianceAccess.MaySchedulePairing(a, me), rights, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var a = alliance!;
        var (body, error) = await RequestBody.ReadAsync<AlliancePairingRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        if (body.LeadClassroomId is null)
        {
            fields["leadClassroomId"] = "required";
        }
        if (body.LeadTeacherId is null)
        {
            fields["leadTeacherId"] = "required";
        }
        var rural = body.RuralClassroomIds ?? [];
        if (rural.Count == 0)
        {
            fields["ruralClassroomIds"] = "required";
        }
        else if (rural.Count > MaxRuralClassrooms)
        {
            fields["ruralClassroomIds"] = "too_many";
        }
        else if (rural.Distinct().Count() != rural.Count || (body.LeadClassroomId is { } l && rural.Contains(l)))
        {
            fields["ruralClassroomIds"] = "duplicate";
        }
        Text(fields, "subject", body.Subject, 50, true);
        Text(fields, "grade", body.Grade, 50, true);
        Text(fields, "textbookEdition", body.TextbookEdition, 100, true);
        Text(fields, "termName", body.TermName, 100, true);
        var (start, end) = TermPairings.Term(fields, body.TermStart, body.TermEnd);
        var slots = TermPairings.Slots(fields, body.Slots);
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        if (!a.IsActive)
        {
            return Conflict("not_open", "Only a certified alliance schedules pairings.", "只有已认定的联盟可以安排结对。");
        }
        // Every classroom must be a member school's, the teacher a member who lead-teaches at the lead classroom's school.
        var options = await store.PairingOptionsAsync(id, ct);
        var lead = options.Classrooms.FirstOrDefault(c => c.Id == body.LeadClassroomId);
        if (lead is null)
        {
            fields["leadClassroomId"] = "not_member_school";
        }
        var teacher = options.Teachers.FirstOrDefault(t => t.PersonId == body.LeadTeacherId && t.SchoolId == lead?.SchoolId);
        if (teacher is null)
        {
            fields["leadTeacherId"] = "not_member_teacher";
        }
        var ruralRooms = new List<AllianceClassroomRef>();
        for (var i = 0; i < rural.Count; i++)
        {
            var room = options.Classrooms.FirstOrDefault(c => c.Id == rural[i]);
            if (room is null)
            {
                fields[$"ruralClassroomIds[{i}]"] = "not_member_school";
            }
            else if (!room.IsRural)
            {
                fields[$"ruralClassroomIds[{i}]"] = "not_rural";
            }
            else
            {
                ruralRooms.Add(room);
            }
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var tree = rights.Policy.Tree;
        var counties = ruralRooms.Prepend(lead!).Select(c => tree.Find(c.SchoolId)?.ParentId ?? Guid.Empty).Distinct().ToList();
        var row = new AllianceStore.PairingRow(Guid.CreateVersion7(), id, lead!.Id, teacher!.PersonId, [.. ruralRooms.Select(r => r.Id)], counties,
            body.Subject!.Trim(), body.Grade!.Trim(), body.TextbookEdition!.Trim(), body.TermName!.Trim(), start!.Value, end!.Value, slots, me,
            time.GetUtcNow());
        Func<Task<string>>? define = counties.Count == 1
            ? () => TermPairings.DefineAsync(grains, user, me, PlanOf(a, row, lead, teacher.Name, ruralRooms))
            : null;
        var (outcome, _) = await store.SchedulePairingAsync(row, define, ct);
        if (outcome != AllianceStore.Outcome.Done)
        {
            return Refusal(outcome);
        }
        var view = (await store.PairingsAsync(id, row.Id, ct)).Single();
        return Results.Json(WithRights(view, user, a, me, rights), statusCode: 201);
    }

    private static async Task<IResult> ConfirmPairingAsync(Guid id, Guid pairingId, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store,
        IGrainFactory grains, ServerClock time, CancellationToken ct)
    {
        var (alliance, me, refusal) = await AllowedAsync(id, user, store, (a, me) => rights.MaySee(user, a, me), rights, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var view = (await store.PairingsAsync(id, pairingId, ct)).SingleOrDefault();
        if (view is null)
        {
            return ApiErrors.NotFound();
        }
        if (!rights.MayConfirmPairing(user, view))
        {
            return ApiErrors.Forbidden();
        }
        var row = new AllianceStore.PairingRow(view.Id, id, view.Lead.Id, view.LeadTeacherId, [.. view.Rural.Select(r => r.Id)], [], view.Subject, view.Grade,
            view.TextbookEdition, view.TermName, view.TermStart, view.TermEnd, view.Slots, me, view.CreatedAt);
        var outcome = await store.ConfirmPairingAsync(id, pairingId,
            () => TermPairings.DefineAsync(grains, user, me, PlanOf(alliance!, row, view.Lead, view.LeadTeacherName, view.Rural)), me, time.GetUtcNow(), ct);
        if (outcome != AllianceStore.Outcome.Done)
        {
            return Refusal(outcome);
        }
        return Results.Ok(WithRights((await store.PairingsAsync(id, pairingId, ct)).Single(), user, alliance!, me, rights));
    }

    private static async Task<IResult> RejectPairingAsync(Guid id, Guid pairingId, HttpContext context, ClaimsPrincipal user, AllianceAccess rights,
        AllianceStore store, ServerClock time, CancellationToken ct)
    {
        var (alliance, me, view, refusal) = await PendingPairingAsync(id, pairingId, user, rights, store, (_, p) => rights.MayConfirmPairing(user, p), ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var (reason, error) = await ReadReasonAsync(context, ct);
        if (error is not null)
        {
            return error;
        }
        return await EndPendingAsync(alliance!, view!, true, reason, user, me, rights, store, time, ct);
    }

    private static async Task<IResult> CancelPairingAsync(Guid id, Guid pairingId, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store,
        ServerClock time, CancellationToken ct)
    {
        var (alliance, me, view, refusal) = await PendingPairingAsync(id, pairingId, user, rights, store,
            (a, p) => AllianceAccess.MayCancelPairing(a, rights.Policy.PersonId(user), p), ct);
        if (refusal is not null)
        {
            return refusal;
        }
        return await EndPendingAsync(alliance!, view!, false, null, user, me, rights, store, time, ct);
    }

    /// <summary>Rejects or withdraws the pending pairing and answers with it as it now stands (or the store's refusal).</summary>
    private static async Task<IResult> EndPendingAsync(AllianceRecord alliance, AlliancePairingView view, bool reject, string? reason, ClaimsPrincipal user,
        Guid me, AllianceAccess rights, AllianceStore store, ServerClock time, CancellationToken ct)
    {
        var outcome = await store.EndPendingPairingAsync(alliance.Id, view.Id, reject, reason, me, time.GetUtcNow(), ct);
        return outcome != AllianceStore.Outcome.Done
            ? Refusal(outcome)
            : Results.Ok(WithRights((await store.PairingsAsync(alliance.Id, view.Id, ct)).Single(), user, alliance, me, rights));
    }

    /// <summary>
    /// The alliance (which the caller may see) and its pairing, if <paramref name="allowed"/> lets the caller end it. The
    /// right is judged on the pairing as proposed, whatever its status, so a confirmed one answers 409 to whoever could
    /// have withdrawn it and 403 to anyone else; the status itself is checked again under the row lock.
    /// </summary>
    private static async Task<(AllianceRecord? Alliance, Guid Me, AlliancePairingView? Pairing, IResult? Refusal)> PendingPairingAsync(Guid id,
        Guid pairingId, ClaimsPrincipal user, AllianceAccess rights, AllianceStore store, Func<AllianceRecord, AlliancePairingView, bool> allowed,
        CancellationToken ct)
    {
        var (alliance, me, refusal) = await AllowedAsync(id, user, store, (a, me) => rights.MaySee(user, a, me), rights, ct);
        if (refusal is not null)
        {
            return (null, default, null, refusal);
        }
        var view = (await store.PairingsAsync(id, pairingId, ct)).SingleOrDefault();
        if (view is null)
        {
            return (null, default, null, ApiErrors.NotFound());
        }
        return allowed(alliance!, view) ? (alliance, me, view, null) : (null, default, null, ApiErrors.Forbidden());
    }

    /// <summary>What the caller may still do with a pairing: confirm or reject it, or withdraw it (pending ones only).</summary>
    private static AlliancePairingView WithRights(AlliancePairingView p, ClaimsPrincipal user, AllianceRecord a, Guid? me, AllianceAccess rights) =>
        p with
        {
            CanConfirm = p.Status == "pending" && rights.MayConfirmPairing(user, p),
            CanCancel = p.Status == "pending" && AllianceAccess.MayCancelPairing(a, me, p),
        };

    private static TermPairings.Plan PlanOf(AllianceRecord a, AllianceStore.PairingRow row, AllianceClassroomRef lead, string teacherName,
        IEnumerable<AllianceClassroomRef> rural) =>
        new($"{row.Subject} {row.Grade} · {a.Name}", new ClassroomRef(lead.Id.ToString(), lead.Name, lead.SchoolName),
            new PersonRef(row.LeadTeacherId.ToString(), teacherName), [.. rural.Select(r => new ClassroomRef(r.Id.ToString(), r.Name, r.SchoolName))],
            row.Subject, row.Grade, row.TextbookEdition, row.TermName, row.TermStart, row.TermEnd, row.Slots);
}
