namespace LiveClassroom.Media.Sdp;

/// <summary>Why the SFU refused an offer, so the caller can be told the real reason.</summary>
public enum SdpRefusal
{
    /// <summary>The offer lacks what every WebRTC offer has (m-sections, a=mid, ICE credentials, a fingerprint).</summary>
    Malformed,

    /// <summary>A well-formed offer asking for something this SFU does not do (e.g. a fingerprint hash other than sha-256).</summary>
    Unsupported,

    /// <summary>
    /// A renegotiation of the same ICE/DTLS association (same ICE ufrag) presented another DTLS fingerprint
    /// (RFC 9429 §5.11: the remote fingerprint may change only with an ICE restart; RFC 8842 §5: it then means a new DTLS association).
    /// </summary>
    FingerprintChanged,

    /// <summary>
    /// An offer on a DTLS association the SFU dropped when its ICE consent expired (RFC 7675 §5.1): the browser's ICE
    /// restart of a connection whose keys the SFU no longer has. Only a new connection (a new DTLS handshake) can carry media.
    /// </summary>
    AssociationExpired,
}
