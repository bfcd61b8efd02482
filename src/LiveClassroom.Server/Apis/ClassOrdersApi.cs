using LiveClassroom.Server.Alliances;
using LiveClassroom.Server.Hosting;
using System.Globalization;
using System.Security.Claims;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Apis.Rooms;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// 按需点单 (docs/API-PLATFORM.md, "Class orders"): a rural school's admin orders a class it lacks; the admin of an
/// urban lead school in the same county (or in a certified alliance with the ordering school) accepts it with a lead classroom and teacher; the county's admin confirms,
/// which defines the pairing and its term timetable on the existing pairing grain, so the lessons appear on both
/// schools' timetables. open → accepted → confirmed, or open → cancelled.
/// </summary>
public static class ClassOrdersApi
{
    private static readonly string[] UpperAdminRoles = [Roles.CountyAdmin, Roles.CityAdmin, Roles.ProvinceAdmin];

    public static IEndpointRouteBuilder MapClassOrdersApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/class-orders", ListAsync).Doc<ClassOrderList>("ListClassOrders", "Lists the class orders the caller may see (its school's, or open orders its school could accept)", 200, 400, 403);
        app.MapPost("/api/class-orders", CreateAsync).Doc<ClassOrderView>("CreateClassOrder", "A rural school orders a subject and grade it lacks for one of its classrooms", 201, 400, 403, 404).Body<CreateClassOrderRequest>();
        app.MapPost("/api/class-orders/{id:guid}/accept", AcceptAsync).Doc<ClassOrderView>("AcceptClassOrder", "A lead school of the county accepts an open order with a teacher and a lead classroom", 200, 400, 403, 404, 409).Body<AcceptClassOrderRequest>();
        app.MapPost("/api/class-orders/{id:guid}/confirm", ConfirmAsync).AddEndpointFilter<RoomApiErrorFilter>()
            .Doc<ClassOrderView>("ConfirmClassOrder", "The county confirms an accepted order, creating the pairing and its term timetable", 200, 400, 403, 404, 409);
        app.MapPost("/api/class-orders/{id:guid}/cancel", CancelAsync).Doc<ClassOrderView>("CancelClassOrder", "The ordering school withdraws an order that is not confirmed yet", 200, 403, 404, 409);
        app.MapGet("/api/class-orders/gap", GapAsync).Doc<ClassOrderGap>("ClassOrderGap", "A county's orders open, accepted, confirmed and unmet per subject and grade", 200, 400, 403, 404);
        return app;
    }

    /// <summary>A county, city or province admin at the county or above it.</summary>
    internal static bool CountyLevelAdmin(AccessPolicy access, ClaimsPrincipal user, Guid countyId) =>
        access.RolesOf(user).Any(g => UpperAdminRoles.Contains(g.Role) && access.Tree.IsAncestorOrSelf(g.OrganisationId, countyId));

    private static IEnumerable<Guid> SchoolsAdministered(AccessPolicy access, ClaimsPrincipal user) =>
        access.RolesOf(user).Where(g => g.Role == Roles.SchoolAdmin).Select(g => g.OrganisationId);

    /// <summary>The urban schools of the county whose admin the caller is: those may accept its orders.</summary>
    private static List<Guid> LeadSchoolsIn(AccessPolicy access, ClaimsPrincipal user, Guid countyId) =>
        [.. SchoolsAdministered(access, user).Where(s => access.Tree.Find(s) is { IsRural: false } n && n.ParentId == countyId)];

    /// <summary>
    /// (an urban school the caller administers, a school sharing a certified alliance with it): an alliance's member
    /// schools see and accept each other's orders across county lines (docs/API-PLATFORM.md, "Alliance scope").
    /// </summary>
    private static async Task<IReadOnlySet<(Guid Mine, Guid Other)>> PartnersAsync(AccessPolicy access, ClaimsPrincipal user, AllianceStore alliances,
        CancellationToken ct)
    {
        var urban = SchoolsAdministered(access, user).Where(s => access.Tree.Find(s) is { IsRural: false }).ToList();
        return urban.Count == 0 ? new HashSet<(Guid, Guid)>() : await alliances.PartnerSchoolsAsync(urban, ct);
    }

    /// <summary>The caller's urban schools that may accept the order: in its county, or in an alliance with the ordering school.</summary>
    private static List<Guid> LeadSchoolsFor(AccessPolicy access, ClaimsPrincipal user, ClassOrderView o, IReadOnlySet<(Guid Mine, Guid Other)> partners) =>
        [.. LeadSchoolsIn(access, user, o.CountyId).Union(partners.Where(p => p.Other == o.SchoolId).Select(p => p.Mine))];

    private static bool Sees(AccessPolicy access, ClaimsPrincipal user, ClassOrderView o, IReadOnlySet<(Guid Mine, Guid Other)> partners) =>
        CountyLevelAdmin(access, user, o.CountyId)
        || SchoolsAdministered(access, user).Contains(o.SchoolId)
        || LeadSchoolsFor(access, user, o, partners) is { Count: > 0 } leads && (o.Status == "open" || (o.LeadSchoolId is { } l && leads.Contains(l)));

    private static async Task<IResult> ListAsync(string? status, ClaimsPrincipal user, AccessPolicy access, ClassOrderStore store, AllianceStore alliances,
        CancellationToken ct)
    {
        if (status is not (null or "open" or "accepted" or "confirmed" or "cancelled"))
        {
            return ApiErrors.Validation("status", "invalid");
        }
        var tree = access.Tree;
        var counties = new HashSet<Guid>();
        foreach (var g in access.RolesOf(user))
        {
            if (g.Role == Roles.SchoolAdmin && tree.Find(g.OrganisationId)?.ParentId is { } county)
            {
                counties.Add(county);
            }
            else if (UpperAdminRoles.Contains(g.Role))
            {
                counties.UnionWith(tree.SubtreeOf(g.OrganisationId).Where(id => tree.Find(id)?.Kind == OrganisationKinds.County));
            }
        }
        if (counties.Count == 0)
        {
            return ApiErrors.Forbidden();
        }
        var partners = await PartnersAsync(access, user, alliances, ct);
        var items = (await store.ListAsync([.. counties], [.. partners.Select(p => p.Other).Distinct()], status, ct))
            .Where(o => Sees(access, user, o, partners)).ToList();
        return Results.Ok(new ClassOrderList(items));
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, ClaimsPrincipal user, AccessPolicy access, OrganisationStore organisations, ClassOrderStore store, ServerClock time,
        CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<CreateClassOrderRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        ClassroomRecord? room = null;
        if (body.RuralClassroomId is not { } roomId)
        {
            fields["ruralClassroomId"] = "required";
        }
        else if ((room = await organisations.GetClassroomAsync(roomId, ct)) is null)
        {
            fields["ruralClassroomId"] = "invalid";
        }
        Text(fields, "subject", body.Subject, 50);
        Text(fields, "grade", body.Grade, 50);
        Text(fields, "textbookEdition", body.TextbookEdition, 100);
        Text(fields, "termName", body.TermName, 100);
        var (start, end) = TermPairings.Term(fields, body.TermStart, body.TermEnd);
        var slots = TermPairings.Slots(fields, body.Slots);
        if (body.Note is { Length: > 500 })
        {
            fields["note"] = "too_long";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        // Only the ordering school's own admin orders for it, and only a rural school orders.
        if (!access.RolesOf(user).Any(g => g.Role == Roles.SchoolAdmin && g.OrganisationId == room!.SchoolId))
        {
            return ApiErrors.Forbidden();
        }
        if (access.Tree.Find(room!.SchoolId) is not { IsRural: true, ParentId: { } county })
        {
            return ApiErrors.Validation("ruralClassroomId", "not_rural");
        }
        var order = new ClassOrderView(Guid.CreateVersion7(), "open", room.SchoolId, "", county, room.Id, room.Name,
            body.Subject!.Trim(), body.Grade!.Trim(), body.TextbookEdition!.Trim(), body.TermName!.Trim(), start!.Value, end!.Value,
            slots, slots.Count, string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim(), time.GetUtcNow(),
            null, null, null, null, null, null, null, null, null);
        await store.InsertAsync(order, actor, ct);
        return Results.Json(await store.GetAsync(order.Id, ct), statusCode: 201);
    }

    private static async Task<IResult> AcceptAsync(
        Guid id, HttpContext context, ClaimsPrincipal user, AccessPolicy access, RoomDirectory directory, ClassOrderStore store, AllianceStore alliances,
        ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<AcceptClassOrderRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var order = await store.GetAsync(id, ct);
        var partners = await PartnersAsync(access, user, alliances, ct);
        if (order is null || !Sees(access, user, order, partners))
        {
            return ApiErrors.NotFound();
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
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var rooms = await directory.ClassroomsAsync([body.LeadClassroomId!.Value], ct);
        if (!rooms.TryGetValue(body.LeadClassroomId.Value, out var lead))
        {
            return ApiErrors.Validation("leadClassroomId", "invalid");
        }
        // The accepting admin runs an urban school of the order's county (or of an alliance with the ordering school), and the classroom is that school's.
        if (!LeadSchoolsFor(access, user, order, partners).Contains(lead.SchoolId))
        {
            return ApiErrors.Forbidden();
        }
        if (await directory.PersonWithRoleAsync(body.LeadTeacherId!.Value, Roles.LeadTeacher, lead.SchoolId, ct) is null)
        {
            return ApiErrors.Validation("leadTeacherId", "invalid");
        }
        var now = time.GetUtcNow();
        await using (var conn = await store.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            if (await ClassOrderStore.LockStatusAsync(conn, tx, id, ct) != "open")
            {
                return WrongState();
            }
            await ClassOrderStore.AcceptAsync(conn, tx, id, lead.SchoolId, body.LeadClassroomId.Value, body.LeadTeacherId.Value, actor, now, ct);
            await AuditLog.WriteAsync(conn, tx, now, actor, "class_order.accept", "class_order", id, order.CountyId,
                new { leadSchoolId = lead.SchoolId, leadClassroomId = body.LeadClassroomId, leadTeacherId = body.LeadTeacherId }, ct);
            await tx.CommitAsync(ct);
        }
        return Results.Ok(await store.GetAsync(id, ct));
    }

    private static async Task<IResult> ConfirmAsync(
        Guid id, ClaimsPrincipal user, AccessPolicy access, ClassOrderStore store, AllianceStore alliances, IGrainFactory grains, ServerClock time,
        CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var order = await store.GetAsync(id, ct);
        if (order is null || !Sees(access, user, order, await PartnersAsync(access, user, alliances, ct)))
        {
            return ApiErrors.NotFound();
        }
        if (!CountyLevelAdmin(access, user, order.CountyId))
        {
            return ApiErrors.Forbidden();
        }
        var now = time.GetUtcNow();
        await using (var conn = await store.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            // The row stays locked while the grain defines the pairing: a second confirmation waits, then finds it confirmed.
            if (await ClassOrderStore.LockStatusAsync(conn, tx, id, ct) != "accepted" || order.Status != "accepted")
            {
                return WrongState();
            }
            var pairingId = await TermPairings.DefineAsync(grains, user, actor, new TermPairings.Plan(
                $"{order.Subject} {order.Grade} · {order.SchoolName}",
                new ClassroomRef(order.LeadClassroomId!.Value.ToString(), order.LeadClassroomName!, order.LeadSchoolName),
                new LiveClassroom.Grains.Pairing.PersonRef(order.LeadTeacherId!.Value.ToString(), order.LeadTeacherName!),
                [new ClassroomRef(order.RuralClassroomId.ToString(), order.RuralClassroomName, order.SchoolName)],
                order.Subject, order.Grade, order.TextbookEdition, order.TermName, order.TermStart, order.TermEnd, order.Slots));
            await ClassOrderStore.ConfirmAsync(conn, tx, id, pairingId, actor, now, ct);
            await AuditLog.WriteAsync(conn, tx, now, actor, "class_order.confirm", "class_order", id, order.CountyId, new { pairingId }, ct);
            await tx.CommitAsync(ct);
        }
        return Results.Ok(await store.GetAsync(id, ct));
    }

    private static async Task<IResult> CancelAsync(Guid id, ClaimsPrincipal user, AccessPolicy access, ClassOrderStore store, AllianceStore alliances,
        ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var order = await store.GetAsync(id, ct);
        if (order is null || !Sees(access, user, order, await PartnersAsync(access, user, alliances, ct)))
        {
            return ApiErrors.NotFound();
        }
        if (!SchoolsAdministered(access, user).Contains(order.SchoolId) && !CountyLevelAdmin(access, user, order.CountyId))
        {
            return ApiErrors.Forbidden();
        }
        var now = time.GetUtcNow();
        await using (var conn = await store.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            if (await ClassOrderStore.LockStatusAsync(conn, tx, id, ct) != "open")
            {
                return WrongState();
            }
            await using (var cmd = new Npgsql.NpgsqlCommand("UPDATE class_orders SET status = 'cancelled' WHERE id = @id", conn, tx))
            {
                cmd.Parameters.AddWithValue("id", id);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await AuditLog.WriteAsync(conn, tx, now, actor, "class_order.cancel", "class_order", id, order.CountyId, null, ct);
            await tx.CommitAsync(ct);
        }
        return Results.Ok(await store.GetAsync(id, ct));
    }

    private static async Task<IResult> GapAsync(Guid? countyId, ClaimsPrincipal user, AccessPolicy access, ClassOrderStore store, ServerClock time, CancellationToken ct)
    {
        if (countyId is not { } county)
        {
            return ApiErrors.Validation("countyId", "required");
        }
        if (access.Tree.Find(county)?.Kind != OrganisationKinds.County || !CountyLevelAdmin(access, user, county))
        {
            return ApiErrors.Forbidden();
        }
        return Results.Ok(new ClassOrderGap(county, await store.GapAsync(county, LiveClassesApi.SchoolToday(time), ct)));
    }

    private static IResult WrongState() =>
        Results.Json(new ErrorBody("invalid_state", "The order is not in a state that allows this.", "该订单当前状态不允许此操作。"), statusCode: 409);

    private static void Text(Dictionary<string, string> fields, string name, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            fields[name] = "required";
        }
        else if (value.Trim().Length > max)
        {
            fields[name] = "too_long";
        }
    }
}
