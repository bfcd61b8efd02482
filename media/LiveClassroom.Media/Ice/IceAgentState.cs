namespace LiveClassroom.Media.Ice;

internal enum IceAgentState
{
    /// <summary>No valid check yet.</summary>
    New = 0,

    /// <summary>At least one check validated: DTLS from that address may be accepted.</summary>
    Validated,

    /// <summary>The controlling peer nominated a pair (USE-CANDIDATE).</summary>
    Nominated,

    /// <summary>No valid check on the selected address for the consent timeout (RFC 7675): the peer is gone.</summary>
    Disconnected,

    Closed,
}
