namespace LiveClassroom.Media.Srtp;

/// <summary>Outcome of a protect/unprotect call; everything except <see cref="Ok"/> means drop the packet.</summary>
internal enum SrtpStatus
{
    Ok = 0,
    TooShort,
    BadVersion,
    MalformedHeader,
    BufferTooSmall,
    AuthenticationFailed,
    Replayed,
    TooOld,
    /// <summary>Not returned any more (streams beyond the cap evict the least recently used); kept so callers' switches compile.</summary>
    TooManyStreams,
    Disposed,
}
