using LiveClassroom.Grains.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveClassroom.Grains.Hosting;

/// <summary>The ports the host and its grains reach the outside world through, implemented by the server (or by Testing/ in tests).</summary>
public sealed record GrainServices(
    IGrainStateStore StateStore,
    IGrainLeaseStore Leases,
    IRoomEventPublisher Events,
    IMediaControl Media,
    IPairingDirectory Pairings,
    TimeProvider Time)
{
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
