using LiveClassroom.Server.Hosting;
using System.Globalization;
using System.Text.Json;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Server.Apis;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Rooms;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>
/// <c>/api/pairings…</c>: list and create 1+N pairings, their term timetable, lessons, opening a lesson's live
/// class, course progress and lesson evaluation (docs/API-ROOMS.md). The pairing grain enforces its rules; these
/// endpoints decide who the caller is in the pairing with the hub's role matrix.
/// </summary>
public static class PairingsApi
{
    private static readonly string[] AdminRoles = [Roles.SchoolAdmin, Roles.CountyAdmin, Roles.CityAdmin, Roles.ProvinceAdmin];

    public static RouteGroupBuilder MapPairingsApi(this RouteGroupBuilder api)
    {
        var g = api.MapGroup("/pairings");
        g.MapGet("", ListAsync).Doc("ListPairings", "Pairings the caller takes part in or administers", 200);
        g.MapPost("", CreateAsync).Doc("CreatePairing", "Pairs a lead classroom with rural classrooms for a subject and term", 201, 400, 403, 409).Body<CreatePairingRequest>();
        g.MapGet("/{pairingId}/timetable", GetTimetableAsync).Doc("GetPairingTimetable", "A pairing's term timetable (null when none)", 200, 403, 404);
        g.MapPut("/{pairingId}/timetable", PutTimetableAsync).Doc<TermTimetable>("SetPairingTimetable", "Replaces a pairing's term timetable", 200, 400, 403, 404, 409).Body<TermTimetable>();
        g.MapGet("/{pairingId}/lessons", LessonsAsync).Doc("ListPairingLessons", "A pairing's lessons in a date range", 200, 400, 403, 404, 503);
        g.MapPost("/{pairingId}/lessons/{lessonId}/open", OpenAsync).Doc("OpenLesson", "Opens a lesson's live class (开课)", 200, 403, 404, 409, 503);
        g.MapPost("/{pairingId}/lessons/{lessonId}/progress", ProgressAsync).Doc("RecordLessonProgress", "Records the chapter a lesson reached", 200, 400, 403, 404, 409, 503).Body<ProgressRequest>();
        g.MapPost("/{pairingId}/lessons/{lessonId}/evaluation", EvaluateAsync).Doc("EvaluateLesson", "Rates a lesson and comments on it", 200, 400, 403, 404, 409, 503).Body<EvaluationRequest>();
        return api;
    }

    private static async Task<IResult> ListAsync(HttpContext http, RoomDirectory directory, ClassAccess access, ClassRoleResolver resolver, CancellationToken ct)
    {
        if (CallerIdentity.From(http.User) is not { } caller)
        {
            return RoomApiErrors.Unauthorized();
        }
        var visible = new List<PairingListing>();
        foreach (var p in await directory.PairingsAsync(ct))
        {
            var parties = new ClassParties(
                Guid.TryParse(p.Listing.LeadTeacher.Id, out var t) ? t : null,
                p.LeadSchoolId,
                Guid.Parse(p.Listing.LeadClassroom.Id),
                [.. p.Listing.RuralClassrooms.Select((c, i) => new PairedClassroom(Guid.Parse(c.Id), p.RuralSchoolIds[i]))]);
            if (resolver.Resolve(caller, parties) is not null)
            {
                visible.Add(p.Listing);
            }
        }
        return Results.Json(visible, RoomApiErrors.Json);
    }

    private static async Task<IResult> CreateAsync(
        HttpContext http, RoomDirectory directory, ClassRoleResolver resolver, IGrainFactory grains, ServerClock time, CancellationToken ct)
    {
        if (CallerIdentity.From(http.User) is not { } caller)
        {
            return RoomApiErrors.Unauthorized();
        }
        if (caller.IsDevice || !caller.Roles.Any(r => AdminRoles.Contains(r.Role)))
        {
            return RoomApiErrors.Forbidden();
        }
        var body = await ReadAsync<CreatePairingRequest>(http, ct);
        if (body is null)
        {
            return RoomApiErrors.BadRequest();
        }
        var fields = new Dictionary<string, string>();
        Required(fields, "name", body.Name, 100);
        Required(fields, "subject", body.Subject, 50);
        Required(fields, "grade", body.Grade, 50);
        Required(fields, "textbookEdition", body.TextbookEdition, 100);
        if (body.LeadClassroomId is null)
        {
            fields["leadClassroomId"] = "required";
        }
        if (body.LeadTeacherId is null)
        {
            fields["leadTeacherId"] = "required";
        }
        var ruralIds = body.RuralClassroomIds ?? [];
        if (ruralIds.Count == 0)
        {
            fields["ruralClassroomIds"] = "required";
        }
        else if (ruralIds.Count > 16 || ruralIds.Distinct().Count() != ruralIds.Count || ruralIds.Contains(body.LeadClassroomId ?? Guid.Empty))
        {
            fields["ruralClassroomIds"] = "invalid";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var leadId = body.LeadClassroomId!.Value;
        var teacherId = body.LeadTeacherId!.Value;
        var classrooms = await directory.ClassroomsAsync(ruralIds.Append(leadId), ct);
        if (classrooms.Count != ruralIds.Count + 1)
        {
            return ApiErrors.Validation(classrooms.ContainsKey(leadId) ? "ruralClassroomIds" : "leadClassroomId", "invalid");
        }
        // The admin must cover every school the pairing touches: a county admin pairs schools of their county.
        foreach (var school in classrooms.Values.Select(c => c.SchoolId).Distinct())
        {
            if (!resolver.CoversAny(caller, AdminRoles, [school]))
            {
                return RoomApiErrors.Forbidden();
            }
        }
        var lead = classrooms[leadId];
        var teacherName = await directory.PersonWithRoleAsync(teacherId, Roles.LeadTeacher, lead.SchoolId, ct);
        if (teacherName is null)
        {
            // Must hold lead_teacher at the lead classroom's school.
            return ApiErrors.Validation("leadTeacherId", "invalid");
        }
        // A second click on 创建 (or a second admin) must not make the same pairing twice: the new pairing has no term yet,
        // so any pairing of this lead classroom and subject that has not ended (or has no term either) is the same one.
        if (await directory.OverlappingPairingAsync(leadId.ToString(), body.Subject!.Trim(), LiveClassesApi.SchoolToday(time), DateOnly.MaxValue,
                untermedOverlaps: true, exceptPairingId: null, ct) is { } existing)
        {
            return RoomApiErrors.DuplicatePairing(existing);
        }
        var definition = new PairingDefinition(
            body.Name!.Trim(),
            new ClassroomRef(leadId.ToString(), lead.Name, lead.SchoolName),
            new PersonRef(teacherId.ToString(), teacherName),
            [.. ruralIds.Select(id => new ClassroomRef(id.ToString(), classrooms[id].Name, classrooms[id].SchoolName))],
            body.Subject!.Trim(), body.Grade!.Trim(), body.TextbookEdition!.Trim());
        var pairingId = Guid.CreateVersion7().ToString();
        var snapshot = await grains.GetGrain<IRemoteClassPairingGrain>(pairingId).DefineAsync(AsAdmin(caller), definition);
        return Results.Json(snapshot, RoomApiErrors.Json, statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetTimetableAsync(string pairingId, HttpContext http, ClassAccess access, CancellationToken ct)
    {
        var (caller, snapshot, refusal) = await MemberAsync(http, access, pairingId, ct);
        // A new pairing has no timetable yet: a normal state, answered as an empty one (JSON null), not as an error.
        return refusal ?? (snapshot!.Timetable is { } t
            ? Results.Json(t, RoomApiErrors.Json)
            : Results.Text("null", "application/json"));
    }

    private static async Task<IResult> PutTimetableAsync(
        string pairingId, HttpContext http, ClassAccess access, RoomDirectory directory, IGrainFactory grains, CancellationToken ct)
    {
        var (caller, current, refusal) = await MemberAsync(http, access, pairingId, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var timetable = await ReadAsync<TermTimetable>(http, ct);
        if (timetable is null || timetable.Slots is null || timetable.TermName is null)
        {
            return RoomApiErrors.BadRequest();
        }
        var normalised = timetable with { Holidays = timetable.Holidays ?? [], MakeUpDays = timetable.MakeUpDays ?? [] };
        // Two pairings of one lead classroom and subject may follow each other (one per term), never overlap.
        var definition = current!.Definition!;
        if (await directory.OverlappingPairingAsync(definition.LeadClassroom.Id, definition.Subject, normalised.StartDate, normalised.EndDate,
                untermedOverlaps: false, exceptPairingId: pairingId, ct) is { } existing)
        {
            return RoomApiErrors.DuplicatePairing(existing);
        }
        var snapshot = await grains.GetGrain<IRemoteClassPairingGrain>(pairingId).SetTimetableAsync(caller!, normalised);
        return Results.Json(snapshot.Timetable, RoomApiErrors.Json);
    }

    private static async Task<IResult> LessonsAsync(string pairingId, string? from, string? to, HttpContext http, ClassAccess access, IGrainFactory grains, CancellationToken ct)
    {
        if (!TryDate(from, out var fromDate))
        {
            return ApiErrors.Validation("from", "invalid_format");
        }
        if (!TryDate(to, out var toDate))
        {
            return ApiErrors.Validation("to", "invalid_format");
        }
        var (caller, _, refusal) = await MemberAsync(http, access, pairingId, ct);
        return refusal ?? Results.Json(
            await grains.GetGrain<IRemoteClassPairingGrain>(pairingId).GetLessonsAsync(caller!, fromDate, toDate), RoomApiErrors.Json);
    }

    private static async Task<IResult> OpenAsync(string pairingId, string lessonId, HttpContext http, ClassAccess access, IGrainFactory grains, CancellationToken ct)
    {
        var (caller, _, refusal) = await MemberAsync(http, access, pairingId, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var classId = await grains.GetGrain<IRemoteClassPairingGrain>(pairingId).OpenLessonAsync(caller!, lessonId);
        return Results.Json(new { classId }, RoomApiErrors.Json);
    }

    private static async Task<IResult> ProgressAsync(string pairingId, string lessonId, HttpContext http, ClassAccess access, IGrainFactory grains, CancellationToken ct)
    {
        var (caller, _, refusal) = await MemberAsync(http, access, pairingId, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var body = await ReadAsync<ProgressRequest>(http, ct);
        if (body?.Chapter is null)
        {
            return RoomApiErrors.BadRequest();
        }
        var lesson = await grains.GetGrain<IRemoteClassPairingGrain>(pairingId).SetLessonChapterAsync(caller!, lessonId, body.Chapter);
        return Results.Json(lesson, RoomApiErrors.Json);
    }

    private static async Task<IResult> EvaluateAsync(string pairingId, string lessonId, HttpContext http, ClassAccess access, IGrainFactory grains, CancellationToken ct)
    {
        var (caller, _, refusal) = await MemberAsync(http, access, pairingId, ct);
        if (refusal is not null)
        {
            return refusal;
        }
        var body = await ReadAsync<EvaluationRequest>(http, ct);
        if (body?.Rating is not { } rating)
        {
            return RoomApiErrors.BadRequest();
        }
        var evaluation = await grains.GetGrain<IRemoteClassPairingGrain>(pairingId).RateLessonAsync(caller!, lessonId, rating, body.Comment);
        return Results.Json(evaluation, RoomApiErrors.Json);
    }

    /// <summary>The caller's identity in the pairing, or the refusal to return (401, 404 for an unknown pairing, 403).</summary>
    private static async Task<(RoomCaller? Caller, PairingSnapshot? Snapshot, IResult? Refusal)> MemberAsync(
        HttpContext http, ClassAccess access, string pairingId, CancellationToken ct)
    {
        if (CallerIdentity.From(http.User) is not { } identity)
        {
            return (null, null, RoomApiErrors.Unauthorized());
        }
        if (!Guid.TryParse(pairingId, out _))
        {
            return (null, null, RoomApiErrors.NotFound("pairing"));
        }
        var (caller, snapshot) = await access.ResolvePairingAsync(identity, pairingId, ct);
        if (snapshot.Definition is null)
        {
            return (null, null, RoomApiErrors.NotFound("pairing"));
        }
        return caller is null ? (null, null, RoomApiErrors.Forbidden()) : (caller, snapshot, null);
    }

    private static void Required(Dictionary<string, string> fields, string name, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            fields[name] = "required";
        }
        else if (value.Trim().Length > maxLength)
        {
            fields[name] = "too_long";
        }
    }

    private static RoomCaller AsAdmin(CallerIdentity caller) =>
        new(caller.Id.ToString(), caller.DisplayName, RoomRole.Admin, null, PrincipalKind.Person);

    internal static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            date = d;
            return true;
        }
        return false;
    }

    internal static async Task<T?> ReadAsync<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(http.Request.Body, RoomApiErrors.Json, ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
