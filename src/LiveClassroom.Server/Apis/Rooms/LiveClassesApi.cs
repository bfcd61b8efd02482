using LiveClassroom.Server.Hosting;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Server.Apis;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Rooms;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>
/// Live-class views over the pairings: the signed-in teacher's or device's lessons of a day (the projector opens
/// straight into the current one), the classes live now in an admin's scope, and a class's attendance.
/// </summary>
public static class LiveClassesApi
{
    // Schools keep China Standard Time (no daylight saving): "today" is the school's day, not UTC's.
    private static readonly TimeSpan SchoolOffset = TimeSpan.FromHours(8);
    private static readonly string[] AdminRoles = [Roles.SchoolAdmin, Roles.CountyAdmin, Roles.CityAdmin, Roles.ProvinceAdmin];
    // A class admits no System caller to its snapshot; the server reads a class's state as a watching admin.
    private static readonly RoomCaller StateLookup = new("server", "server", RoomRole.Admin);

    public static RouteGroupBuilder MapLiveClassesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me/lessons", MyLessonsAsync).Doc("ListMyLessons", "A day's lessons of the signed-in teacher or classroom device (today by default)", 200, 400);
        api.MapGet("/rooms/live", LiveRoomsAsync).Doc("ListLiveRooms", "Classes live now in the admin's scope", 200, 403);
        api.MapGet("/classes/{classId}/attendance", AttendanceAsync).Doc("GetClassAttendance", "Who attends a class, per classroom", 200, 403, 404, 409, 503);
        return api;
    }

    /// <summary>Today in school time.</summary>
    internal static DateOnly SchoolToday(ServerClock time) => DateOnly.FromDateTime(time.GetUtcNow().ToOffset(SchoolOffset).DateTime);

    private static async Task<IResult> MyLessonsAsync(
        string? date, HttpContext http, RoomDirectory directory, ClassRoleResolver resolver, IGrainFactory grains, ServerClock time, CancellationToken ct)
    {
        if (CallerIdentity.From(http.User) is not { } identity)
        {
            return RoomApiErrors.Unauthorized();
        }
        if (!PairingsApi.TryDate(date, out var parsed))
        {
            return ApiErrors.Validation("date", "invalid_format");
        }
        var day = parsed ?? SchoolToday(time);
        var result = new List<MyLesson>();
        foreach (var p in await directory.PairingsAsync(ct))
        {
            var caller = resolver.Resolve(identity, Parties(p));
            // Only the people who teach in the pairing (and its classroom devices) have lessons; observers do not.
            if (caller is null || caller.Role is not (RoomRole.Lead or RoomRole.Classroom))
            {
                continue;
            }
            var lessons = await grains.GetGrain<IRemoteClassPairingGrain>(p.Listing.PairingId).GetLessonsAsync(caller, day, day);
            foreach (var lesson in lessons)
            {
                var (state, ownerUrl) = await ClassStateAsync(grains, lesson.ClassId);
                result.Add(new MyLesson(p.Listing.PairingId, p.Listing.Name, caller.Role, caller.ClassroomId, lesson, state, ownerUrl));
            }
        }
        result.Sort((a, b) => (a.Lesson?.Start ?? TimeOnly.MinValue).CompareTo(b.Lesson?.Start ?? TimeOnly.MinValue));
        return Results.Json(result, RoomApiErrors.Json);
    }

    private static async Task<IResult> LiveRoomsAsync(
        HttpContext http, RoomDirectory directory, ClassRoleResolver resolver, IGrainFactory grains, ServerClock time, CancellationToken ct)
    {
        if (CallerIdentity.From(http.User) is not { } identity)
        {
            return RoomApiErrors.Unauthorized();
        }
        if (identity.IsDevice || !identity.Roles.Any(r => AdminRoles.Contains(r.Role)))
        {
            return RoomApiErrors.Forbidden();
        }
        var today = SchoolToday(time);
        var result = new List<LiveRoom>();
        foreach (var p in await directory.PairingsAsync(ct))
        {
            var parties = Parties(p);
            var caller = resolver.Resolve(identity, parties);
            if (caller?.Role is not RoomRole.Admin)
            {
                continue;
            }
            // An admin covering the lead school sees the whole class; a rural school's admin its own classrooms only.
            IReadOnlySet<string>? only = resolver.CoversAny(identity, ClassRoleResolver.AdminRoles, [parties.LeadSchoolId])
                ? null
                : parties.RuralClassrooms.Where(c => resolver.CoversAny(identity, ClassRoleResolver.AdminRoles, [c.SchoolId]))
                    .Select(c => c.ClassroomId.ToString()).ToHashSet(StringComparer.Ordinal);
            // A class stays live past midnight rarely, but a lesson opened yesterday evening must still show.
            var lessons = await grains.GetGrain<IRemoteClassPairingGrain>(p.Listing.PairingId).GetLessonsAsync(caller, today.AddDays(-1), today);
            foreach (var lesson in lessons.Where(l => l.ClassId is not null))
            {
                var snapshot = await grains.GetGrain<IClassroomGrain>(lesson.ClassId!).GetSnapshotAsync(caller);
                if (snapshot.State == ClassState.Live)
                {
                    var room = LiveRoom.From(p.Listing, snapshot);
                    result.Add(only is null ? room : room.Only(only));
                }
            }
        }
        return Results.Json(result, RoomApiErrors.Json);
    }

    private static async Task<IResult> AttendanceAsync(string classId, HttpContext http, ClassAccess access, IGrainFactory grains, CancellationToken ct)
    {
        if (CallerIdentity.From(http.User) is not { } identity)
        {
            return RoomApiErrors.Unauthorized();
        }
        if (classId.Length > 100)
        {
            return RoomApiErrors.NotFound("class");
        }
        var caller = await access.ResolveClassAsync(identity, classId, ct);
        if (caller?.Role is not (RoomRole.Lead or RoomRole.Admin))
        {
            return RoomApiErrors.Forbidden();
        }
        var snapshot = await grains.GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(caller);
        return Results.Json(ClassAttendance.From(snapshot), RoomApiErrors.Json);
    }

    private static ClassParties Parties(RoomDirectory.ListedPairing p) => new(
        Guid.TryParse(p.Listing.LeadTeacher.Id, out var t) ? t : null,
        p.LeadSchoolId,
        Guid.Parse(p.Listing.LeadClassroom.Id),
        [.. p.Listing.RuralClassrooms.Select((c, i) => new PairedClassroom(Guid.Parse(c.Id), p.RuralSchoolIds[i]))]);

    private static async Task<(string State, string? OwnerUrl)> ClassStateAsync(IGrainFactory grains, string? classId)
    {
        if (classId is null)
        {
            return ("NotOpened", null);
        }
        // Orleans reaches the class on whichever node it is active: every node knows every class's state.
        var snapshot = await grains.GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(StateLookup);
        return (snapshot.State.ToString(), null);
    }
}
