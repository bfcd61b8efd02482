namespace LiveClassroom.Media.Transport;

/// <summary>
/// What the ICE layer needs from a shared transport: sending, the ICE ufrag → peer table (for first contact from
/// a new address) and the remote address → peer routes (after a check was validated). All members thread-safe.
/// </summary>
internal interface IMediaTransport : IPacketSender
{
    /// <summary>Routes STUN whose USERNAME starts with "<paramref name="localUfrag"/>:" to the sink; false if the ufrag is taken.</summary>
    bool TryRegisterUfrag(string localUfrag, IPacketSink sink);

    void UnregisterUfrag(string localUfrag);

    /// <summary>Routes every packet from <paramref name="remote"/> to <paramref name="sink"/> (replacing an earlier route).</summary>
    void AddRoute(RemoteAddress remote, IPacketSink sink);

    void RemoveRoute(RemoteAddress remote);

    /// <summary>Removes every route and ufrag that points at the sink (a peer leaving).</summary>
    void RemoveSink(IPacketSink sink);
}
