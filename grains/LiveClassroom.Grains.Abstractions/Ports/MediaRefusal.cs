namespace LiveClassroom.Grains.Ports;

/// <summary>Why the media plane refused an offer (<see cref="MediaRefusedException.Reason"/>); the hubs turn each into its own error code.</summary>
public enum MediaRefusal
{
    /// <summary>The offer is not a usable WebRTC offer (no m-sections, no a=mid, no ICE credentials or fingerprint).</summary>
    Malformed,

    /// <summary>A well-formed offer asking for what the media plane does not do (e.g. a fingerprint hash other than sha-256).</summary>
    Unsupported,

    /// <summary>A renegotiation on the same ICE/DTLS association presented another DTLS fingerprint; a new connection is needed.</summary>
    FingerprintChanged,

    /// <summary>The media room is closing or the media plane cannot take offers right now; trying again later may work.</summary>
    Unavailable,
}
