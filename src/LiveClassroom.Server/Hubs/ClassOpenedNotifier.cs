using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Pushes "class opened" to the classroom devices waiting on this node (<see cref="ClassroomHub.WatchClassroom"/>), so a
/// projector walks into the class at once instead of at its next timetable poll. The class's classrooms come from its
/// snapshot, read after the opening turn has finished (a sink must not call back into the room inside its turn).
/// </summary>
public sealed partial class ClassOpenedNotifier : IRoomOwnerEventSink
{
    // The same watching identity the recorder and ClassAccess use: a class admits no System caller to its snapshot.
    private static readonly RoomCaller Server = new("server", "server", RoomRole.Admin);

    private readonly IServiceProvider _services;
    private readonly IHubContext<ClassroomHub, IClassroomClient> _hub;
    private readonly ILogger<ClassOpenedNotifier> _logger;

    // The grain factory is resolved when first needed: its room host needs the event publisher, which needs this sink.
    public ClassOpenedNotifier(IServiceProvider services, IHubContext<ClassroomHub, IClassroomClient> hub, ILogger<ClassOpenedNotifier> logger)
    {
        _services = services;
        _hub = hub;
        _logger = logger;
    }

    public static string GroupName(string classroomId) => "classroom:" + classroomId;

    public Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        if (roomEvent.Room.Kind == GrainKinds.Classroom && roomEvent.Type == ClassEventTypes.ClassOpened)
        {
            // Without the opening turn's execution context: its "current grain" would make the snapshot call a
            // reentrant call into the same room, which the grain host refuses.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => NotifyAsync(roomEvent.Room.Id), CancellationToken.None);
            }
        }
        return Task.CompletedTask;
    }

    private async Task NotifyAsync(string classId)
    {
        try
        {
            var snapshot = await _services.GetRequiredService<IGrainFactory>().GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(Server);
            foreach (var classroom in snapshot.Classrooms)
            {
                await _hub.Clients.Group(GroupName(classroom.ClassroomId)).ClassOpened(new ClassOpenedNotice(classId, classroom.ClassroomId));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The devices' slow timetable poll still finds the class; a lost push only costs them that wait.
            LogNotifyFailed(_logger, ex, classId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell waiting devices that class {ClassId} opened")]
    private static partial void LogNotifyFailed(ILogger logger, Exception error, string classId);
}
