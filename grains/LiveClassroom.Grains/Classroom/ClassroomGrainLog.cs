using LiveClassroom.Grains.Rooms;
using Microsoft.Extensions.Logging;

namespace LiveClassroom.Grains.Classroom;

internal static partial class ClassroomGrainLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the chat history of {Grain} failed; its changes stay in the class's state")]
    public static partial void ChatHistoryWriteFailed(ILogger logger, Exception error, GrainKey grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lead did not negotiate media within {Wait} of the first classroom offer after the class's activation; {Waiting} classroom offers go on without it")]
    public static partial void LeadFirstTimedOut(ILogger logger, TimeSpan wait, int waiting);

    [LoggerMessage(Level = LogLevel.Information, Message = "Lead's media offer (arrived at Stopwatch {Arrived}; {InFlight} other negotiations in flight then, {Before} offers since activation, {Waiting} waiting for it): waited {WaitMs:F0} ms, placed and negotiated {NegotiateMs:F0} ms, committed {CommitMs:F0} ms, routed {RouteMs:F0} ms, answered after {AllMs:F0} ms")]
    public static partial void LeadOffer(ILogger logger, long arrived, int inFlight, int before, int waiting, double waitMs, double negotiateMs, double commitMs, double routeMs, double allMs);
}
