namespace LiveClassroom.Grains.Hosting;

/// <summary>Settings of one node's grain host.</summary>
public sealed class GrainHostOptions
{
    /// <summary>This node's id in <c>room_leases.owner_node</c> (config <c>Node:Id</c>).</summary>
    public string NodeId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>Where clients reach this node; handed to callers redirected here (config <c>Node:PublicUrl</c>).</summary>
    public string NodeUrl { get; set; } = "http://localhost:5080";

    /// <summary>How long a lease lasts without renewal (config <c>Leases:DurationSeconds</c>).</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often leases are renewed (config <c>Leases:RenewSeconds</c>); well under <see cref="LeaseDuration"/>.</summary>
    public TimeSpan LeaseRenewInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An activation without calls for this long is deactivated (timer ticks do not count as calls).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a dropped participant keeps <c>Reconnecting</c> before it is marked <c>Left</c>.</summary>
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromSeconds(60);
}
