using System.Net;

namespace LiveClassroom.Media;

/// <summary>The node's server-to-server relay socket (cascade): where other nodes send this node's relayed media and feedback.</summary>
public sealed class MediaRelayOptions
{
    /// <summary>UDP port; 0 picks an ephemeral one (tests).</summary>
    public int Port { get; init; }

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>The clock links' silence is measured on (tests: a clock moved by hand).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
