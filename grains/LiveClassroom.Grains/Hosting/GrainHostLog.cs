using LiveClassroom.Grains.Ports;
using Microsoft.Extensions.Logging;

namespace LiveClassroom.Grains.Hosting;

internal static partial class GrainHostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Activated {Grain} at lease epoch {Epoch} (state version {Version})")]
    public static partial void Activated(ILogger logger, GrainKey grain, long epoch, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deactivated {Grain}: {Reason}")]
    public static partial void Deactivated(ILogger logger, GrainKey grain, DeactivationReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of {Grain} at epoch {Epoch}; deactivating without writing")]
    public static partial void LeaseLost(ILogger logger, GrainKey grain, long epoch);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing the lease of {Grain} failed; retrying until it expires")]
    public static partial void RenewFailed(ILogger logger, Exception error, GrainKey grain);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected error in {Grain}; dropping its in-memory state")]
    public static partial void Fault(ILogger logger, Exception error, GrainKey grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing an event of {Grain} failed; clients will resync")]
    public static partial void PublishFailed(ILogger logger, Exception error, GrainKey grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Releasing the lease of {Grain} failed; it will expire")]
    public static partial void ReleaseFailed(ILogger logger, Exception error, GrainKey grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media control call of {Grain} failed: {Operation}")]
    public static partial void MediaFailed(ILogger logger, Exception error, GrainKey grain, string operation);
}
