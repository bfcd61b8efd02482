using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Hubs;

namespace LiveClassroom.Server.Operations;

/// <summary>Builds a <see cref="NetworkFrame"/> from a class's snapshot and the SFU's links: pure, tested without a server.</summary>
public static class NetworkFrames
{
    public static NetworkFrame Build(string classId, long seq, DateTimeOffset at, ClassSnapshot snapshot, IReadOnlyList<ParticipantLink> links, bool? recording)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(links);
        var media = new Dictionary<string, PeerMediaStats>(StringComparer.Ordinal);
        foreach (var l in links)
        {
            media[l.PrincipalId] = l.Media;
        }
        var classrooms = new List<ClassroomNetwork>(snapshot.Classrooms.Count);
        foreach (var c in snapshot.Classrooms.OrderBy(c => c.Tile))
        {
            classrooms.Add(Classroom(snapshot, c, media));
        }
        return new NetworkFrame(classId, seq, at, snapshot.State.ToString(), recording, classrooms);
    }

    private static ClassroomNetwork Classroom(ClassSnapshot s, ClassroomView c, Dictionary<string, PeerMediaStats> media)
    {
        var p = Speaker(s, c.ClassroomId);
        var connection = p?.Connection.ToString() ?? "Absent";
        var name = string.IsNullOrEmpty(c.SchoolName) ? c.Name : $"{c.SchoolName} · {c.Name}";
        var m = p is not null && p.Connection == ConnectionState.Connected && media.TryGetValue(p.PrincipalId, out var found) ? found : null;
        var b = p?.Connection == ConnectionState.Connected ? p.Stats : null;
        double? rtt, downLoss, upLoss, jitter;
        long? down, up;
        string source;
        if (m is not null)
        {
            source = "sfu";
            rtt = Math.Round(m.RoundTripTimeMs, 1);
            downLoss = m.OutboundLossFraction;
            upLoss = m.InboundLossFraction;
            // The SFU's jitter comes from the classroom's receiver reports; before the first one its browser's own figure stands in.
            jitter = m.JitterMs > 0 ? Math.Round(m.JitterMs, 1) : b is { JitterMs: > 0 } ? Math.Round(b.JitterMs, 1) : null;
            down = m.OutboundBitrateBps;
            up = m.InboundBitrateBps;
        }
        else if (b is not null)
        {
            source = "browser";
            rtt = Math.Round(b.RoundTripTimeMs, 1);
            downLoss = b.PacketLoss;
            upLoss = null;
            jitter = b.JitterMs > 0 ? Math.Round(b.JitterMs, 1) : null;
            down = b.InboundBitrateBps;
            up = b.OutboundBitrateBps;
        }
        else
        {
            source = "none";
            rtt = downLoss = upLoss = jitter = null;
            down = up = null;
        }
        var paused = m?.VideoPaused ?? false;
        double? loss = downLoss is null && upLoss is null ? null : Math.Max(downLoss ?? 0, upLoss ?? 0);
        var quality = NetworkQuality.Rate(connection, rtt, loss, jitter, paused);
        if (m is not null && m.State != "connected")
        {
            // A media peer still setting up has no figures worth rating yet; one that failed carries nothing.
            quality = m.State == "connecting" ? NetworkQuality.Unknown : NetworkQuality.Poor;
        }
        return new ClassroomNetwork(
            c.ClassroomId, name, c.IsLead, connection, c.StageSeat, quality, NetworkQuality.IsDegraded(quality), source, m?.State,
            rtt, downLoss, upLoss, jitter, down, up, m is { EstimatedBitrateBps: > 0 } ? m.EstimatedBitrateBps : null,
            m?.ReceivedLayer, paused,
            b is { FrameWidth: > 0 } ? b.FrameWidth : null, b is { FrameHeight: > 0 } ? b.FrameHeight : null,
            b is { FramesPerSecond: > 0 } ? Math.Round(b.FramesPerSecond, 1) : null,
            c.Attendance.ReconnectCount);
    }

    /// <summary>The participant speaking for a classroom: a connected device first, then a connected person, then one reconnecting.</summary>
    private static ParticipantView? Speaker(ClassSnapshot s, string classroomId)
    {
        ParticipantView? person = null, reconnecting = null;
        foreach (var p in s.Participants)
        {
            if (p.ClassroomId != classroomId || p.Role is not (RoomRole.Lead or RoomRole.Classroom))
            {
                continue;
            }
            if (p.Connection == ConnectionState.Connected)
            {
                if (p.Kind == PrincipalKind.Device)
                {
                    return p;
                }
                person ??= p;
            }
            else if (p.Connection == ConnectionState.Reconnecting)
            {
                reconnecting ??= p;
            }
        }
        return person ?? reconnecting;
    }
}
