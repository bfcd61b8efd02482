namespace LiveClassroom.Media;

/// <summary>
/// Receives a publisher track's plain (decrypted) RTP packets, as sent by the publisher, for the recorder. Called on
/// the SFU's packet thread: copy what you keep and return quickly; exceptions are counted and swallowed.
/// </summary>
public delegate void RtpPacketTap(ReadOnlySpan<byte> packet, RtpCodec codec);
