using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Server.Recording;

/// <summary>A track's place in one part: its m-line (stream index), loopback port and payload type in the part's SDP.</summary>
public sealed class PartTrack(RecorderTrack track, int streamIndex, int port, int payloadType)
{
    public RecorderTrack Track { get; } = track;

    public int StreamIndex { get; } = streamIndex;

    public int Port { get; } = port;

    public int PayloadType { get; } = payloadType;

    public SocketAddress Address { get; } = new IPEndPoint(IPAddress.Loopback, port).Serialize();

    /// <summary>What ffmpeg still waits for on this track (the recorder drains it before stopping the part).</summary>
    public SequenceGaps Gaps { get; } = new(PartArguments.MaxDelayMs);

    /// <summary>Gate: a video track is ready at its first keyframe, an audio track at its first packet.</summary>
    public bool Ready { get; set; }
}
