using System.Net;

namespace LiveClassroom.Media.Sdp;

/// <summary>The SFU's side of an answer: ICE-lite credentials, DTLS fingerprint, host candidates, o= line identity.</summary>
internal sealed record SdpLocalParameters(
    string IceUfrag,
    string IcePwd,
    string Fingerprint,
    IReadOnlyList<IPEndPoint> Candidates,
    ulong SessionId,
    ulong SessionVersion)
{
    /// <summary>ICE-TCP passive host candidates (RFC 6544 §4.5), written after the UDP ones.</summary>
    public IReadOnlyList<IPEndPoint> TcpCandidates { get; init; } = [];
}
