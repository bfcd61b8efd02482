using Microsoft.Extensions.Logging;

namespace LiveClassroom.Grains.Rooms;

internal static partial class RoomGrainLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing an event of {Grain} failed; clients will resync")]
    public static partial void PublishFailed(ILogger logger, Exception error, GrainKey grain);

    [LoggerMessage(Level = LogLevel.Information, Message = "Observer of {Grain} dropped: {Reason}")]
    public static partial void ObserverDropped(ILogger logger, GrainKey grain, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media control call of {Grain} failed: {Operation}")]
    public static partial void MediaFailed(ILogger logger, Exception error, GrainKey grain, string operation);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Grain} could not learn whether node {Node} died; its connections are dated lost now")]
    public static partial void LivenessFailed(ILogger logger, Exception error, GrainKey grain, string node);
}
