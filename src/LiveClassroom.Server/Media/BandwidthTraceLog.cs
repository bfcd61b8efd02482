using System.Globalization;
using LiveClassroom.Media;

namespace LiveClassroom.Server.Media;

/// <summary>
/// <c>Media:TraceBandwidth=true</c>: once a second, one log line per subscriber with a downlink estimate — the estimate
/// taken apart, the layer, whether video is paused, and the probe counts — so a link's timeline can be read against the
/// quality notices (RuralLinkFigures prints it). Off by default: it is a line per viewer per second.
/// </summary>
public sealed partial class BandwidthTraceLog(MediaServer media, ILogger<BandwidthTraceLog> logger) : BackgroundService
{
    public const string Setting = "Media:TraceBandwidth";

    /// <summary>The line's marker: the benchmark finds the lines by it.</summary>
    public const string Marker = "bwe-trace";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var roomId in media.RoomIds)
            {
                if (media.GetRoom(roomId) is not { } room)
                {
                    continue;
                }
                foreach (var peer in room.GetStats())
                {
                    if (peer.Bandwidth is { } b)
                    {
                        LogTrace(logger, Marker, peer.PeerId, Line(peer, b));
                    }
                }
            }
        }
    }

    /// <summary>kbit/s throughout; probes as started/validated/refused and the last refusal's reason.</summary>
    internal static string Line(MediaPeerStats peer, MediaBandwidthTrace b) => string.Create(CultureInfo.InvariantCulture,
        $"est={peer.EstimatedBitrateBps / 1000} delay={b.DelayBasedBps / 1000} loss={b.LossBasedBps / 1000} p={b.LossFraction * 100:0.0}% " +
        $"rx={b.ReceivedBps / 1000} usage={b.Usage} layer={(peer.VideoPaused ? "paused" : peer.ReceivedLayer ?? "none")} wanted={b.WantedBps / 1000} " +
        $"cuts(delay={b.DelayCuts} loss={b.LossCuts}) probes={b.Probes}/{b.ProbesValidated}/{b.ProbesRefused}({b.LastProbeRefusal ?? "-"}) " +
        $"probeTarget={b.LastProbeTargetBps / 1000}{(b.Probing ? " probing" : "")}");

    [LoggerMessage(Level = LogLevel.Information, Message = "{Marker} {PeerId} {Line}")]
    private static partial void LogTrace(ILogger logger, string marker, string peerId, string line);
}
