using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LiveClassroom.Media.Transport;

// Why sendmmsg (issue #17): a large room's fan-out sends each subscriber the packets of a publisher's burst one after
// the other (SfuRoom.FanOut.cs). One sendto(2) each paid the system call, the socket lookup and .NET's send path per
// datagram; sendmmsg(2) pays them once per subscriber and burst. The kernel still runs each datagram through the UDP/IP
// path on its own, so every datagram is the same on the wire, in the same order.
internal sealed partial class UdpTransport
{
    private static readonly bool CanSendMany = OperatingSystem.IsLinux() && Environment.Is64BitProcess && BitConverter.IsLittleEndian;

    public int SendMany(DatagramSendQueue queue, RemoteAddress remote)
    {
        var count = queue.Count;
        if (count == 0)
        {
            return 0;
        }
        if (count == 1 || remote.Connection is not null || !CanSendMany)
        {
            return ((IPacketSender)this).SendManyOneByOne(queue, remote);
        }
        var socket = SendSocketFor(remote);
        var sent = 0;
        try
        {
            var handle = socket.SafeHandle;
            var added = false;
            handle.DangerousAddRef(ref added);
            try
            {
                var fd = handle.DangerousGetHandle();
                var address = remote.SocketAddress.Buffer.Span[..remote.SocketAddress.Size];
                while (sent < count)
                {
                    var result = NativeMethods.SendMmsg(fd, queue.Vector(sent, address), (uint)(count - sent), 0);
                    if (result <= 0)
                    {
                        break;
                    }
                    for (var i = sent; i < sent + result; i++)
                    {
                        Counters.Sent(queue.Packet(i).Length);
                    }
                    sent += result;
                }
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
        // What sendmmsg refused (an error on the first datagram it tried) is counted as failed, as one sendto's would be.
        for (var i = sent; i < count; i++)
        {
            Counters.SendFailed();
        }
        queue.Clear();
        return sent;
    }

    private static class NativeMethods
    {
        // int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags); sendmmsg(2).
        [DllImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int SendMmsg(nint sockfd, nint msgvec, uint vlen, int flags);
    }
}
