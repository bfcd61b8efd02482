// RFC 5576 §4.2: a=ssrc-group:<semantics> <ssrc-id> ...; FID pairs a stream with its RTX stream (RFC 4588 §8.1).
namespace LiveClassroom.Media.Sdp;

internal sealed record SdpSsrcGroup(string Semantics, uint[] Ssrcs);
