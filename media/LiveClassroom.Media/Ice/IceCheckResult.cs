namespace LiveClassroom.Media.Ice;

/// <summary>What the agent did with one incoming STUN message.</summary>
internal enum IceCheckResult
{
    /// <summary>A valid binding request: answered with a success response.</summary>
    Success = 0,

    /// <summary>Not parseable STUN: dropped without answer.</summary>
    Malformed,

    /// <summary>Indication or response (a lite agent sends no requests): ignored.</summary>
    Ignored,

    /// <summary>No FINGERPRINT, or a wrong one: dropped without answer (RFC 8445 §7.2.2 requires it).</summary>
    BadFingerprint,

    /// <summary>Answered 400: USERNAME, MESSAGE-INTEGRITY or the ICE role attribute missing.</summary>
    BadRequest,

    /// <summary>Answered 401: USERNAME names another ufrag, or MESSAGE-INTEGRITY did not verify.</summary>
    Unauthorized,

    /// <summary>Answered 420: an unknown comprehension-required attribute.</summary>
    UnknownAttribute,

    /// <summary>Answered 487: the peer also claims the controlled role (a lite agent is always controlled).</summary>
    RoleConflict,

    /// <summary>The agent was disposed.</summary>
    Closed,
}
