using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Server.Access;
using LiveClassroom.Server.Apis.Rooms;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Recording;
using LiveClassroom.Server.Rooms;

namespace LiveClassroom.Server.Apis;

/// <summary>Recording control for the lead teacher, and the status (with the "recording" flag) the class UI shows.</summary>
public static class RecordingsApi
{
    public sealed record StartBody(string? RoomId, bool Scheduled, bool? Record, CourseInfo? Course);

    public static IEndpointRouteBuilder MapRecordingsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/recordings");

        // A class's own lead teacher records it (the server starts scheduled lessons by itself): the class must exist
        // (404), the caller must be its lead (403) and it must be live (409). One recording per room: a second start
        // answers 200 with the active one. Nothing is opened (row, folder, socket, lease) for a refused call.
        g.MapPost("", async (StartBody body, HttpContext http, RecordingService recordings, RecordingStore store, ClassAccess classes,
            IGrainFactory grains, LiveClassRecordingStarter starter, CancellationToken ct) =>
        {
            if (Caller.From(http.User) is not { } caller || CallerIdentity.From(http.User) is not { } identity)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            if (!caller.Holds(Roles.LeadTeacher, caller.OrganisationId))
            {
                return LibraryApiErrors.Forbidden("Only a lead teacher starts a class recording.", "只有主讲教师可以开始录制。");
            }
            if (string.IsNullOrWhiteSpace(body.RoomId) || body.RoomId.Length > 200)
            {
                return LibraryApiErrors.Invalid("roomId is required (200 characters at most).", "必须提供 roomId（最多 200 个字符）。");
            }
            if (body.Course?.Stage is { } stage && !ResourceStatus.Stages.Contains(stage))
            {
                return LibraryApiErrors.Invalid("course.stage must be one of 小学, 初中, 高中.", "学段只能是小学、初中或高中。");
            }
            // An unknown class throws NotFound, mapped to 404 by the room API filter.
            var lead = await classes.ResolveClassAsync(identity, body.RoomId, ct);
            if (lead?.Role != RoomRole.Lead)
            {
                return LibraryApiErrors.Forbidden("Only the lead teacher of this class starts its recording.", "只有本课的主讲教师可以开始录制。");
            }
            var snapshot = await grains.GetGrain<IClassroomGrain>(body.RoomId).GetSnapshotAsync(lead);
            if (snapshot.State != ClassState.Live)
            {
                return LibraryApiErrors.Conflict("class_not_live", "Only a class that is live can be recorded.", "只有正在上课的课堂可以录制。");
            }
            if (!recordings.ShouldRecord(body.Scheduled, body.Record))
            {
                return Results.Ok(new { recording = false });
            }
            var recorder = await starter.StartForClassAsync(body.RoomId, snapshot, body.Course ?? await starter.CourseAsync(snapshot));
            if (recorder is null)
            {
                return await store.ActiveInRoomAsync(body.RoomId) is { } existing
                    ? Results.Ok(Status(existing))
                    : LibraryApiErrors.Conflict("cannot_record", "The class's lead classroom belongs to no school; it cannot be recorded.", "该课堂的主讲教室不属于任何学校，无法录制。");
            }
            return Results.Json(Status((await store.GetAsync(recorder.RecordingId))!), statusCode: 201);
        }).Doc("StartRecording", "Starts recording a live class (its lead teacher)", 201, 400, 403, 409).AddEndpointFilter<RoomApiErrorFilter>();

        g.MapGet("/{id:guid}", async (Guid id, HttpContext http, RecordingStore store, LibraryStore library, LibraryAccess access) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var r = await store.GetAsync(id);
            if (r is null || !access.IsInsider(http.User, caller, r.SchoolId, r.TeacherId))
            {
                return LibraryApiErrors.NotFound("The recording", "该录像");
            }
            var chapters = await store.ChaptersAsync(id);
            var resource = await library.ByRecordingAsync(id);
            return Results.Ok(new
            {
                recording = Status(r),
                chapters = chapters.Select(c => new { c.OffsetSeconds, c.Type, c.LabelZh, c.LabelEn }),
                resourceId = resource?.Id,
            });
        }).Doc("GetRecording", "A recording's status and its library resource", 200, 404);

        g.MapPost("/{id:guid}/pause", (Guid id, HttpContext http, RecordingService recordings, RecordingStore store) =>
            ControlAsync(id, http, recordings, store, r => r.PauseAsync())).Doc("PauseRecording", "Pauses a class recording", 200, 403, 404, 409);
        g.MapPost("/{id:guid}/resume", (Guid id, HttpContext http, RecordingService recordings, RecordingStore store) =>
            ControlAsync(id, http, recordings, store, r => r.ResumeAsync())).Doc("ResumeRecording", "Resumes a paused class recording", 200, 403, 404, 409);
        g.MapPost("/{id:guid}/stop", (Guid id, HttpContext http, RecordingService recordings, RecordingStore store) =>
            ControlAsync(id, http, recordings, store, r => r.StopAsync())).Doc("StopRecording", "Stops a class recording; finalizing follows as a job", 200, 403, 404, 409);

        app.MapGet("/api/rooms/{roomId}/recording", async (string roomId, HttpContext http, RecordingStore store, AccessPolicy policy,
            ClassAccess classes, CancellationToken ct) =>
        {
            if (policy.IsDevice(http.User))
            {
                return await DeviceRecordingFlagAsync(roomId, http, store, classes, ct);
            }
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var r = await store.ActiveInRoomAsync(roomId);
            // Everyone in a class is told it is recorded; the room's schools share a county with the lead school.
            if (r is null || !SameCounty(caller, r, policy))
            {
                return Results.Ok(new { recording = false, paused = false, recordingId = (Guid?)null });
            }
            return Results.Ok(new { recording = r.Status == "recording", paused = r.Status == "paused", recordingId = (Guid?)r.Id });
        }).Doc("GetRoomRecordingFlag", "Whether a class is being recorded now (the recording sign)", 200, 403, 404, 503).AddEndpointFilter<RoomApiErrorFilter>();
        return app;
    }

    /// <summary>
    /// A classroom device (the projector) is told whether its class is recorded only when its classroom is the class's
    /// lead or one of its paired classrooms: 403 otherwise, 404 for a class that does not exist.
    /// </summary>
    private static async Task<IResult> DeviceRecordingFlagAsync(string roomId, HttpContext http, RecordingStore store, ClassAccess classes, CancellationToken ct)
    {
        if (CallerIdentity.From(http.User) is not { IsDevice: true } device)
        {
            return LibraryApiErrors.Unauthenticated();
        }
        if (roomId.Length > 100)
        {
            return LibraryApiErrors.NotFound("The class", "该课堂");
        }
        RoomCaller? inClass;
        try
        {
            inClass = await classes.ResolveClassAsync(device, roomId, ct);
        }
        catch (RoomRuleException ex) when (ex.Code == RoomErrorCode.NotFound)
        {
            return LibraryApiErrors.NotFound("The class", "该课堂");
        }
        if (inClass is null)
        {
            return LibraryApiErrors.Forbidden("This device's classroom does not take part in that class.", "本设备所在教室不在该课堂中。");
        }
        var r = await store.ActiveInRoomAsync(roomId);
        return Results.Ok(new { recording = r?.Status == "recording", paused = r?.Status == "paused", recordingId = r?.Id });
    }

    private static async Task<IResult> ControlAsync(Guid id, HttpContext http, RecordingService recordings, RecordingStore store, Func<Recorder, Task> action)
    {
        if (Caller.From(http.User) is not { } caller)
        {
            return LibraryApiErrors.Unauthenticated();
        }
        var r = await store.GetAsync(id);
        if (r is null)
        {
            return LibraryApiErrors.NotFound("The recording", "该录像");
        }
        if (r.TeacherId != caller.PersonId && !caller.Holds(Roles.SchoolAdmin, r.SchoolId))
        {
            return LibraryApiErrors.Forbidden("Only the lead teacher of the class (or the school admin) controls its recording.", "只有本课主讲教师（或学校管理员）可以控制录制。");
        }
        if (r.Status is not ("recording" or "paused"))
        {
            return LibraryApiErrors.Conflict("not_recording", "The recording has already ended.", "录制已结束。");
        }
        if (recordings.Find(id) is not { } recorder)
        {
            return LibraryApiErrors.Conflict("not_on_this_node", "The recording runs on another server node.", "该录制运行在其他服务器节点上。");
        }
        await action(recorder);
        return Results.Ok(Status((await store.GetAsync(id))!));
    }

    private static bool SameCounty(Caller caller, RecordingRow r, AccessPolicy policy)
    {
        if (policy.IsAncestorOrSelf(caller.OrganisationId, r.SchoolId))
        {
            return true;
        }
        // school → county → city → province: two schools of one county share three ancestors.
        var theirs = policy.Tree.PathToRoot(r.SchoolId).Select(n => n.Id);
        var mine = policy.Tree.PathToRoot(caller.OrganisationId).Select(n => n.Id);
        return mine.Intersect(theirs).Count() >= 3;
    }

    public static object Status(RecordingRow r) => new
    {
        r.Id,
        r.RoomId,
        r.SchoolId,
        r.TeacherId,
        r.Status,
        isRecording = r.Status == "recording",
        isPaused = r.Status == "paused",
        r.StartedAt,
        r.EndedAt,
        r.PausedSeconds,
        r.DurationSeconds,
        r.Playable,
        r.HasVideo,
        r.Parts,
        r.Incidents,
        r.FailureReason,
        r.Recovered,
        r.Continuations,
    };
}
