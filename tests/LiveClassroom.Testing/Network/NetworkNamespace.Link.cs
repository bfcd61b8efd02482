using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LiveClassroom.Testing.Network;

/// <summary>Impairments that come and go during a test (outages, redirects through a relay) and sockets inside the namespace.</summary>
public sealed partial class NetworkNamespace
{
    private const int CloneNewNet = 0x40000000;

    /// <summary>A total outage: every packet between the namespace and the host, any protocol, both ways, until <see cref="EndOutageAsync"/>.</summary>
    public Task StartOutageAsync() => NftAsync($$"""
        table inet lcoutage {
          chain output { type filter hook output priority -10; policy accept; }
          chain input { type filter hook input priority -10; policy accept; }
        }
        add rule inet lcoutage output ip daddr {{HostAddress}} drop
        add rule inet lcoutage input ip saddr {{HostAddress}} drop
        """);

    public Task EndOutageAsync() => NftAsync("delete table inet lcoutage\n");

    /// <summary>Removes every Drop…Async rule (random loss, UDP or port blocks); outages and redirects stay.</summary>
    public Task ClearDropsAsync() => NftAsync("flush chain inet lclink output\nflush chain inet lclink input\n");

    /// <summary>Removes the rate caps <see cref="RateCapAsync"/> set (both ends of the veth).</summary>
    public async Task RemoveRateCapAsync()
    {
        await HostCommand.RunAsync("tc", ["qdisc", "del", "dev", HostInterface, "root"]);
        await HostCommand.RunAsync("ip", ["netns", "exec", Name, "tc", "qdisc", "del", "dev", InnerInterface, "root"]);
    }

    /// <summary>
    /// Sends what the namespace addresses to the host's UDP <paramref name="port"/> to <paramref name="relayPort"/> instead
    /// (DNAT inside the namespace; replies are translated back), so a <see cref="UdpDelayRelay"/> there sits in the path.
    /// </summary>
    public Task RedirectUdpAsync(int port, int relayPort) => NftAsync(string.Create(CultureInfo.InvariantCulture, $$"""
        table ip lcnat {
          chain output { type nat hook output priority -100; policy accept; }
        }
        add rule ip lcnat output ip daddr {{HostAddress}} udp dport {{port}} dnat to {{HostAddress}}:{{relayPort}}
        """));

    /// <summary>
    /// A UDP socket that lives in the namespace (made on a thread that joined it with setns(2); a socket stays in the
    /// network namespace it was created in), bound to the inner address: the harness's own tests send and receive with it.
    /// </summary>
    public Socket CreateUdpSocketInside()
    {
        Socket? socket = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle($"/var/run/netns/{Name}");
                if (NativeMethods.SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
                }
                socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
                socket.Bind(new IPEndPoint(InnerAddress, 0));
            }
#pragma warning disable CA1031 // Rethrown on the caller's thread below.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        return failure is null ? socket! : throw new InvalidOperationException($"could not make a socket inside {Name}: {failure.Message}", failure);
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int SetNs(int fd, int nstype);
    }
}
