namespace LiveClassroom.Server.Hosting;

/// <summary>
/// <c>Cluster:Nodes</c> (<c>Cluster__Nodes</c>): the public base URL of every node of a deployment, as browsers reach
/// them. Pages fetch the list from <c>GET /api/client-config</c> and move their hub connection to the next node when
/// theirs is unreachable; the nodes' origins are allowed by CORS and by the CSP's <c>connect-src</c>. Empty: one node.
/// </summary>
public sealed class ClusterNodes(IReadOnlyList<string> origins)
{
    public const string Setting = "Cluster:Nodes";

    public static readonly ClusterNodes None = new([]);

    /// <summary>Each node as an origin (<c>scheme://host[:port]</c>, no path), in the configured order, no duplicates.</summary>
    public IReadOnlyList<string> Origins { get; } = origins;

    /// <summary>Reads the setting: one comma-separated string, or a list (<c>Cluster__Nodes__0</c>, <c>__1</c> …).</summary>
    public static ClusterNodes From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Setting);
        var values = section.Value is { } one
            ? one.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [.. section.GetChildren().Select(c => c.Value?.Trim()).OfType<string>().Where(v => v.Length > 0)];
        var origins = new List<string>();
        foreach (var value in values)
        {
            var origin = ToOrigin(value) ?? throw new StartupException(
                $"Cluster__Nodes: '{value}' is not a node's public base URL such as https://node-b.example.cn:5443 (http or https, no path)");
            if (!origins.Contains(origin))
            {
                origins.Add(origin);
            }
        }
        return new ClusterNodes(origins);
    }

    /// <summary>The origin of an http(s) base URL with no path, query or credentials; null for anything else.</summary>
    public static string? ToOrigin(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https")
            || uri.UserInfo.Length > 0 || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0
            || uri.HostNameType is UriHostNameType.Unknown)
        {
            return null;
        }
        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.Host}" : $"{uri.Scheme}://{uri.Host}:{uri.Port}";
    }

    /// <summary>The CSP <c>connect-src</c> sources for the nodes: each origin and its WebSocket twin.</summary>
    public string ConnectSources() => string.Join(' ', Origins.SelectMany(o => new[]
    {
        o,
        o.StartsWith("https://", StringComparison.Ordinal) ? "wss://" + o["https://".Length..] : "ws://" + o["http://".Length..],
    }));
}
