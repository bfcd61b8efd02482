namespace LiveClassroom.LoadTests;

/// <summary>Sees one decrypted RTP packet on a synthetic peer's receive thread.</summary>
internal delegate void RtpObserver(ReadOnlySpan<byte> plainRtp);
