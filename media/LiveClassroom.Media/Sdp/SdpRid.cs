// RFC 8851 §4: a=rid:<id> <send|recv> [restrictions].
namespace LiveClassroom.Media.Sdp;

internal sealed record SdpRid(string Id, string Direction, string? Restrictions);
