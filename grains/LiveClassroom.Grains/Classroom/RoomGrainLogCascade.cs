using Microsoft.Extensions.Logging;

namespace LiveClassroom.Grains.Classroom;

internal static partial class RoomGrainLogCascade
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Media node {Node} did not report its load; no classrooms go there now")]
    public static partial void NodeUnusable(ILogger logger, Exception ex, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media node {Node} did not report the class's link figures; its peers are left out of them this time")]
    public static partial void NodeStatsMissing(ILogger logger, Exception ex, string node);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media node {Node}'s relay link has been silent for {Silence}; its {Count} participants are told to reconnect elsewhere")]
    public static partial void EdgeSilent(ILogger logger, string node, TimeSpan silence, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} participants of a lost media node placed together: {Placement}")]
    public static partial void MovesPlanned(ILogger logger, int count, string placement);
}
