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
/// urban lead school in the same county accepts it with a lead classroom and teacher; the county's admin confirms,
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
    private static bool CountyLevelAdmin(AccessPolicy access, ClaimsPrincipal user, Guid countyId) =>
        access.RolesOf(user).Any(g => UpperAdminRoles.Contains(g.Role) && access.Tree.IsAncestorOrSelf(g.OrganisationId, countyId));

    private static IEnumerable<Guid> SchoolsAdministered(AccessPolicy access, ClaimsPrincipal user) =>
        access.RolesOf(user).Where(g => g.Role == Roles.SchoolAdmin).Select(g => g.OrganisationId);

    /// <summary>The urban schools of the county whose admin the caller is: those may accept its orders.</summary>
    private static List<Guid> LeadSchoolsIn(AccessPolicy access, ClaimsPrincipal user, Guid countyId) =>
        [.. SchoolsAdministered(access, user).Where(s => access.Tree.Find(s) is { IsRural: false } n && n.ParentId == countyId)];

    private static bool Sees(AccessPolicy access, ClaimsPrincipal user, ClassOrderView o) =>
        CountyLevelAdmin(access, user, o.CountyId)
        || SchoolsAdministered(access, user).Contains(o.SchoolId)
        || LeadSchoolsIn(access, user, o.CountyId) is { Count: > 0 } leads && (o.Status == "open" || (o.LeadSchoolId is { } l && leads.Contains(l)));

    private static async Task<IResult> ListAsync(string? status, ClaimsPrincipal user, AccessPolicy access, ClassOrderStore store, CancellationToken ct)
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
        var items = (await store.ListAsync([.. counties], status, ct)).Where(o => Sees(access, user, o)).ToList();
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
        var start = Date(fields, "termStart", body.TermStart);
        var end = Date(fields, "termEnd", body.TermEnd);
        if (start is { } s && end is { } e && (e < s || e.DayNumber - s.DayNumber >= 366))
        {
            fields["termEnd"] = "invalid";
        }
        var slots = Slots(fields, body.Slots);
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
        Guid id, HttpContext context, ClaimsPrincipal user, AccessPolicy access, RoomDirectory directory, ClassOrderStore store, ServerClock time,
        CancellationToken ct)
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
        if (order is null || !Sees(access, user, order))
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
        // The accepting admin runs an urban school of the order's county, and the classroom is that school's.
        if (!LeadSchoolsIn(access, user, order.CountyId).Contains(lead.SchoolId))
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
        Guid id, ClaimsPrincipal user, AccessPolicy access, ClassOrderStore store, IGrainFactory grains, ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var order = await store.GetAsync(id, ct);
        if (order is null || !Sees(access, user, order))
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
            var caller = new RoomCaller(actor.ToString(), user.FindFirstValue(LcClaims.Name) ?? "", RoomRole.Admin, null, PrincipalKind.Person);
            var name = $"{order.Subject} {order.Grade} · {order.SchoolName}";
            var definition = new PairingDefinition(
                name.Length > 100 ? name[..100] : name,
                new ClassroomRef(order.LeadClassroomId!.Value.ToString(), order.LeadClassroomName!, order.LeadSchoolName),
                new LiveClassroom.Grains.Pairing.PersonRef(order.LeadTeacherId!.Value.ToString(), order.LeadTeacherName!),
                [new ClassroomRef(order.RuralClassroomId.ToString(), order.RuralClassroomName, order.SchoolName)],
                order.Subject, order.Grade, order.TextbookEdition);
            var pairingId = Guid.CreateVersion7().ToString();
            var pairing = grains.GetGrain<IRemoteClassPairingGrain>(pairingId);
            await pairing.DefineAsync(caller, definition);
            await pairing.SetTimetableAsync(caller, new TermTimetable(order.TermName, order.TermStart, order.TermEnd,
                [.. order.Slots.Select(s => new WeeklySlot((DayOfWeek)(s.Day % 7), TimeOnly.ParseExact(s.Start!, "HH:mm", CultureInfo.InvariantCulture),
                    s.DurationMinutes, order.Subject))], [], []));
            await ClassOrderStore.ConfirmAsync(conn, tx, id, pairingId, actor, now, ct);
            await AuditLog.WriteAsync(conn, tx, now, actor, "class_order.confirm", "class_order", id, order.CountyId, new { pairingId }, ct);
            await tx.CommitAsync(ct);
        }
        return Results.Ok(await store.GetAsync(id, ct));
    }

    private static async Task<IResult> CancelAsync(Guid id, ClaimsPrincipal user, AccessPolicy access, ClassOrderStore store, ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var order = await store.GetAsync(id, ct);
        if (order is null || !Sees(access, user, order))
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

    private static DateOnly? Date(Dictionary<string, string> fields, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            fields[name] = "required";
            return null;
        }
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            fields[name] = "invalid_format";
            return null;
        }
        return date;
    }

    private static List<ClassOrderSlot> Slots(Dictionary<string, string> fields, IReadOnlyList<ClassOrderSlot>? slots)
    {
        var list = new List<ClassOrderSlot>();
        if (slots is null || slots.Count == 0)
        {
            fields["slots"] = "required";
            return list;
        }
        if (slots.Count > 20)
        {
            fields["slots"] = "too_long";
            return list;
        }
        var seen = new HashSet<(int, TimeOnly)>();
        for (var i = 0; i < slots.Count; i++)
        {
            var s = slots[i];
            if (s is null || s.Day is < 1 or > 7)
            {
                fields[$"slots[{i}].day"] = "invalid";
            }
            else if (!TimeOnly.TryParseExact(s.Start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            {
                fields[$"slots[{i}].start"] = "invalid_format";
            }
            else if (s.DurationMinutes is < 10 or > 240)
            {
                fields[$"slots[{i}].durationMinutes"] = "invalid";
            }
            else if (!seen.Add((s.Day, start)))
            {
                fields[$"slots[{i}]"] = "duplicate";
            }
            else
            {
                list.Add(s);
            }
        }
        return list;
    }
}
