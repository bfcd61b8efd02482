using Microsoft.Extensions.Logging;

namespace LiveClassroom.Grains.Pairing;

internal static partial class PairingLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Updating the pairing listing of {Grain} failed; the next change retries")]
    public static partial void ListingFailed(ILogger logger, Exception error, GrainKey grain);
}
