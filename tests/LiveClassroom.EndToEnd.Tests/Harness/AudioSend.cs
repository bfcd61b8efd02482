namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>
/// Cumulative audio send counters of a page (its outbound-rtp audio): payload bytes and packets sent, the encoder's
/// target bitrate and the send codec. Payload bytes over the target say how many copies of each frame go out: about 1×
/// for plain Opus, 2× with one RED redundant block (RFC 2198), 3× with two.
/// </summary>
public sealed record AudioSend(string Codec = "", long Bytes = 0, long Packets = 0, double TargetBitrate = 0);
