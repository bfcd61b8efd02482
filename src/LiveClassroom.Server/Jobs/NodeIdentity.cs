namespace LiveClassroom.Server.Jobs;

/// <summary>This server node's name (<c>Node:Id</c>, default the host name): owner of leases on jobs and recordings.</summary>
public sealed class NodeIdentity(IConfiguration config)
{
    public string Id { get; } = string.IsNullOrWhiteSpace(config["Node:Id"]) ? Environment.MachineName : config["Node:Id"]!;
}
