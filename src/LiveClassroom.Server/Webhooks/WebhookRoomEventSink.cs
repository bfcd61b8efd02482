using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Webhooks;

/// <summary>
/// Turns room events into webhook events: class.opened, class.ended and attendance.closed (from the class's snapshot,
/// read after the turn), research.session_ended (with its lessons' report links). Called inside the room's turn, so
/// it only starts the work and returns: a slow database or receiver never holds a class.
/// </summary>
public sealed partial class WebhookRoomEventSink(IServiceProvider services, WebhookPublisher publisher, WebhookStore store, ILogger<WebhookRoomEventSink> logger)
    : IRoomOwnerEventSink
{
    // The watching identity the recorder and ClassOpenedNotifier use to read a class's snapshot.
    private static readonly RoomCaller Server = new("server", "server", RoomRole.Admin);

    public Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        Func<Task>? work = (roomEvent.Room.Kind, roomEvent.Type) switch
        {
            (GrainKinds.Classroom, ClassEventTypes.ClassOpened) => () => ClassAsync(roomEvent.Room.Id, ended: false),
            (GrainKinds.Classroom, ClassEventTypes.ClassEnded) => () => ClassAsync(roomEvent.Room.Id, ended: true),
            (GrainKinds.Research, ResearchEventTypes.SessionEnded) => () => ResearchEndedAsync(roomEvent.Room.Id),
            _ => null,
        };
        if (work is not null)
        {
            // Without the turn's execution context: its "current grain" would make the snapshot call a reentrant
            // call into the same room, which the grain host refuses.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => RunAsync(work, roomEvent.Room), CancellationToken.None);
            }
        }
        return Task.CompletedTask;
    }

    private async Task RunAsync(Func<Task> work, GrainKey room)
    {
        try
        {
            await work();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogFailed(logger, ex, room);
        }
    }

    private async Task ClassAsync(string classId, bool ended)
    {
        var s = await services.GetRequiredService<IGrainFactory>().GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(Server);
        var schools = await store.SchoolsOfClassroomsAsync(
            [.. s.Classrooms.Select(c => Guid.TryParse(c.ClassroomId, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty)], CancellationToken.None);
        object Classroom(ClassroomView c) => new
        {
            classroomId = c.ClassroomId,
            name = c.Name,
            schoolId = Guid.TryParse(c.ClassroomId, out var id) && schools.TryGetValue(id, out var school) ? school : (Guid?)null,
            schoolName = c.SchoolName,
            isLead = c.IsLead,
        };
        var data = new
        {
            classId = s.ClassId,
            title = s.Title,
            state = s.State.ToString().ToLowerInvariant(),
            pairingId = s.PairingId,
            lessonId = s.LessonId,
            leadTeacherId = s.LeadTeacherId,
            leadClassroomId = s.LeadClassroomId,
            scheduledStart = s.ScheduledStart,
            openedAt = s.OpenedAt,
            endedAt = s.EndedAt,
            classrooms = s.Classrooms.Select(Classroom).ToList(),
            links = new { attendance = publisher.Link($"/api/classes/{Uri.EscapeDataString(s.ClassId)}/attendance") },
        };
        var organisations = schools.Values.Distinct().ToList();
        await publisher.PublishAsync(ended ? WebhookEvents.ClassEnded : WebhookEvents.ClassOpened, classId, organisations, data);
        if (!ended)
        {
            return;
        }
        await publisher.PublishAsync(WebhookEvents.AttendanceClosed, classId, organisations, new
        {
            classId = s.ClassId,
            title = s.Title,
            openedAt = s.OpenedAt,
            endedAt = s.EndedAt,
            expected = s.Classrooms.Count,
            attended = s.Classrooms.Count(c => c.Attendance.FirstJoinedAt is not null),
            classrooms = s.Classrooms.Select(c => new
            {
                classroomId = c.ClassroomId,
                name = c.Name,
                schoolName = c.SchoolName,
                isLead = c.IsLead,
                firstJoinedAt = c.Attendance.FirstJoinedAt,
                lastLeftAt = c.Attendance.LastLeftAt,
                minutesPresent = Math.Round(c.Attendance.MinutesPresent, 1),
                reconnectCount = c.Attendance.ReconnectCount,
            }).ToList(),
        });
    }

    private async Task ResearchEndedAsync(string sessionId)
    {
        if (!Guid.TryParse(sessionId, out var id))
        {
            return;
        }
        var research = services.GetRequiredService<ResearchStore>();
        var session = await research.SessionAsync(id, CancellationToken.None);
        if (session is null)
        {
            return;
        }
        var lessons = await research.LessonsAsync(id, CancellationToken.None);
        await publisher.PublishAsync(WebhookEvents.ResearchSessionEnded, sessionId, [session.OrganisationId], new
        {
            sessionId = session.Id,
            title = session.Title,
            kind = session.Kind,
            subject = session.Subject,
            stage = session.Stage,
            grade = session.Grade,
            scheduledStart = session.ScheduledStart,
            startedAt = session.StartedAt,
            endedAt = session.EndedAt,
            hostId = session.HostId,
            lessons = lessons.Select(l => new
            {
                lessonId = l.Id,
                title = l.Title,
                teacherName = l.TeacherName,
                report = publisher.Link($"/api/research/sessions/{id}/reports/{l.Id}"),
                reportHtml = publisher.Link($"/api/research/sessions/{id}/reports/{l.Id}.html"),
            }).ToList(),
            links = new { session = publisher.Link($"/api/research/sessions/{id}") },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook events of {Room} could not be queued")]
    private static partial void LogFailed(ILogger logger, Exception error, GrainKey room);
}
