using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace LiveClassroom.Testing.Network;

/// <summary>
/// Link emulation for tests: a network namespace joined to this machine by a veth pair on a /30 of 10.200.0.0/16 that
/// it assigns itself (host side .1, namespace side .2). Nothing else is routed: the namespace reaches only the host
/// side address, so traffic never leaves this machine. Programs run inside through <c>ip netns exec</c>
/// (<see cref="ExecWrapper"/>); impairments are nftables rules and tc qdiscs inside the namespace, which vanish with it.
/// Needs root and iproute2/nftables: without them <see cref="CreateAsync"/> throws with the reason (tests fail, never skip).
/// States: created → (impaired) → disposed (namespace, veth, wrapper scripts removed; also after a failed create).
/// </summary>
public sealed partial class NetworkNamespace : IAsyncDisposable
{
    private readonly List<string> _wrappers = [];
    private bool _disposed;

    private NetworkNamespace(string name, string hostInterface, string innerInterface, IPAddress hostAddress, IPAddress innerAddress)
    {
        Name = name;
        HostInterface = hostInterface;
        InnerInterface = innerInterface;
        HostAddress = hostAddress;
        InnerAddress = innerAddress;
    }

    public string Name { get; }

    /// <summary>The veth end on the host (holds <see cref="HostAddress"/>).</summary>
    public string HostInterface { get; }

    /// <summary>The veth end inside the namespace (holds <see cref="InnerAddress"/>).</summary>
    public string InnerInterface { get; }

    /// <summary>Where servers under test listen so the namespace can reach them.</summary>
    public IPAddress HostAddress { get; }

    public IPAddress InnerAddress { get; }

    public static async Task<NetworkNamespace> CreateAsync()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            throw new InvalidOperationException(
                $"network namespaces need root on Linux (running as '{Environment.UserName}' on {Environment.OSVersion}); the link-emulation tests cannot run here");
        }
        for (var attempt = 0; ; attempt++)
        {
            var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant();
            var block = RandomNumberGenerator.GetInt32(0, 256 * 64);
            var (x, y) = (block / 64, block % 64 * 4);
            var ns = new NetworkNamespace("lc-" + id, "lch" + id, "lcn" + id,
                IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.200.{x}.{y + 1}")),
                IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.200.{x}.{y + 2}")));
            if (await ns.SubnetInUseAsync())
            {
                continue;
            }
            try
            {
                await ns.SetUpAsync();
                return ns;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                // Another test took the same block at the same moment: start over on another one.
                await ns.DisposeAsync();
            }
            catch
            {
                await ns.DisposeAsync();
                throw;
            }
        }
    }

    private async Task<bool> SubnetInUseAsync()
    {
        var prefix = HostAddress.ToString()[..(HostAddress.ToString().LastIndexOf('.') + 1)];
        var last = HostAddress.GetAddressBytes()[3] - 1;
        foreach (var line in (await HostCommand.RunAsync("ip", ["-4", "-o", "addr", "show"])).Split('\n'))
        {
            var at = line.IndexOf("inet " + prefix, StringComparison.Ordinal);
            if (at >= 0)
            {
                var rest = line[(at + 5 + prefix.Length)..];
                var octet = int.Parse(rest[..rest.IndexOf('/', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
                if (octet >= last && octet < last + 4)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private async Task SetUpAsync()
    {
        await Ip("netns", "add", Name);
        await Ip("link", "add", HostInterface, "type", "veth", "peer", "name", InnerInterface);
        await Ip("link", "set", InnerInterface, "netns", Name);
        await Ip("addr", "add", HostAddress + "/30", "dev", HostInterface);
        await Ip("link", "set", HostInterface, "up");
        await Ip("-n", Name, "addr", "add", InnerAddress + "/30", "dev", InnerInterface);
        await Ip("-n", Name, "link", "set", InnerInterface, "up");
        await Ip("-n", Name, "link", "set", "lo", "up");
        // One table of ours in the namespace; impairments add rules to its chains.
        await NftAsync("""
            table inet lclink {
              chain output { type filter hook output priority 0; policy accept; }
              chain input { type filter hook input priority 0; policy accept; }
            }
            """);
    }

    private static Task<string> Ip(params string[] args) => HostCommand.RunAsync("ip", args);

    /// <summary>Loads an nftables script inside the namespace (<c>nft -f -</c>).</summary>
    public Task NftAsync(string script) => HostCommand.RunAsync("ip", ["netns", "exec", Name, "nft", "-f", "-"], script);

    /// <summary>Drops every UDP datagram between the namespace and the host, both ways.</summary>
    public Task DropAllUdpAsync() => NftAsync($"""
        add rule inet lclink output meta l4proto udp ip daddr {HostAddress} drop
        add rule inet lclink input meta l4proto udp ip saddr {HostAddress} drop
        """);

    /// <summary>Drops TCP to one port of the host (a school firewall that opens only the web ports).</summary>
    public Task DropTcpPortAsync(int port) => NftAsync(string.Create(CultureInfo.InvariantCulture, $"""
        add rule inet lclink output ip daddr {HostAddress} tcp dport {port} drop
        """));

    /// <summary>Random loss of UDP in both directions (this kernel has no netem).</summary>
    public Task DropRandomUdpAsync(int percent) => NftAsync(string.Create(CultureInfo.InvariantCulture, $"""
        add rule inet lclink output meta l4proto udp numgen random mod 100 < {percent} drop
        add rule inet lclink input meta l4proto udp numgen random mod 100 < {percent} drop
        """));

    /// <summary>A token-bucket rate cap on what the namespace receives (host-side egress) and sends (namespace-side egress).</summary>
    public async Task RateCapAsync(int downKbps, int upKbps)
    {
        await HostCommand.RunAsync("tc", TbfArgs(HostInterface, downKbps));
        await HostCommand.RunAsync("ip", ["netns", "exec", Name, "tc", .. TbfArgs(InnerInterface, upKbps)]);
    }

    private static string[] TbfArgs(string device, int kbps) =>
        ["qdisc", "replace", "dev", device, "root", "tbf", "rate", kbps.ToString(CultureInfo.InvariantCulture) + "kbit", "burst", "16kb", "latency", "200ms"];

    /// <summary>
    /// An executable script that runs <paramref name="program"/> inside the namespace with the caller's arguments. A
    /// parent outside (e.g. Playwright launching Chromium over pipes) keeps talking to it: exec keeps the process.
    /// </summary>
    public string ExecWrapper(string program)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{Name}-{Path.GetFileName(program)}.sh");
        File.WriteAllText(path, $"#!/bin/sh\nexec ip netns exec {Name} {program} \"$@\"\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        _wrappers.Add(path);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        foreach (var path in _wrappers)
        {
            File.Delete(path);
        }
        // Deleting one veth end deletes both; deleting the namespace kills nothing still running in it, so callers
        // stop their processes first. Each step is tried even if an earlier one failed (e.g. a half-made setup).
        await TryAsync(() => Ip("link", "del", HostInterface));
        await TryAsync(() => Ip("netns", "del", Name));
    }

    private static async Task TryAsync(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (InvalidOperationException)
        {
            // Not there (never made, or gone with the other end).
        }
    }
}
