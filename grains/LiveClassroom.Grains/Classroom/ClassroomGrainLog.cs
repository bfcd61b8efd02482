using LiveClassroom.Grains.Rooms;
using Microsoft.Extensions.Logging;

namespace LiveClassroom.Grains.Classroom;

internal static partial class ClassroomGrainLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the chat history of {Grain} failed; its changes stay in the class's state")]
    public static partial void ChatHistoryWriteFailed(ILogger logger, Exception error, GrainKey grain);
}
