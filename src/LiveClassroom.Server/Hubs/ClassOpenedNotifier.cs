using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// On the class's node: when a class opens or ends, tells every node (<see cref="ClassChangeBroadcast"/>) which
/// classrooms it has — their waiting devices walk into the class at once instead of at their next timetable poll — and
/// which organisations' admins see it live (its schools and everything above them), whose 正在上课 page then reloads.
/// The class's classrooms come from its snapshot, read after the turn has finished (a sink must not call back into
/// the room inside its turn).
/// </summary>
public sealed partial class ClassOpenedNotifier : IRoomOwnerEventSink
{
    // The same watching identity the recorder and ClassAccess use: a class admits no System caller to its snapshot.
    private static readonly RoomCaller Server = new("server", "server", RoomRole.Admin);

    private readonly IServiceProvider _services;
    private readonly OrganisationDirectory _organisations;
    private readonly ILogger<ClassOpenedNotifier> _logger;

    // The grain factory and the broadcast are resolved when first needed: the room host needs the event publisher,
    // which needs this sink.
    public ClassOpenedNotifier(IServiceProvider services, OrganisationDirectory organisations, ILogger<ClassOpenedNotifier> logger)
    {
        _services = services;
        _organisations = organisations;
        _logger = logger;
    }

    public static string GroupName(string classroomId) => "classroom:" + classroomId;

    public Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        if (roomEvent.Room.Kind == GrainKinds.Classroom && roomEvent.Type is ClassEventTypes.ClassOpened or ClassEventTypes.ClassEnded)
        {
            var opened = roomEvent.Type == ClassEventTypes.ClassOpened;
            // Without the turn's execution context: its "current grain" would make the snapshot call a reentrant
            // call into the same room, which the grain host refuses.
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Run(() => NotifyAsync(roomEvent.Room.Id, opened), CancellationToken.None);
            }
        }
        return Task.CompletedTask;
    }

    private async Task NotifyAsync(string classId, bool opened)
    {
        try
        {
            var snapshot = await _services.GetRequiredService<IGrainFactory>().GetGrain<IClassroomGrain>(classId).GetSnapshotAsync(Server);
            var tree = _organisations.Current;
            var classrooms = snapshot.Classrooms.Select(c => c.ClassroomId).ToList();
            var organisations = classrooms
                .Select(c => Guid.TryParse(c, out var id) ? tree.SchoolOfClassroom(id) : null)
                .OfType<Guid>()
                .SelectMany(school => tree.PathToRoot(school).Select(n => n.Id))
                .Distinct()
                .ToList();
            await _services.GetRequiredService<ClassChangeBroadcast>().PublishAsync(new ClassChange(classId, opened, classrooms, organisations), CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The devices' slow timetable poll still finds the class; a lost push only costs them that wait.
            LogNotifyFailed(_logger, ex, classId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the nodes that class {ClassId} opened or ended")]
    private static partial void LogNotifyFailed(ILogger logger, Exception error, string classId);
}
