using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace LiveClassroom.LoadTests;

/// <summary>
/// The load generator's cheap receive side (Linux): one thread reads the sockets of many connected synthetic subscribers
/// through one epoll set, draining each ready socket with non-blocking receives, instead of one thread per subscriber
/// woken for every packet. Measured with the workers benchmark's CPU line: a thread per subscriber cost the generator as
/// much CPU as the SFU forwarding to it (0.30 cores each at N = 150), on the same two cores. What each datagram then
/// costs is <see cref="SyntheticPeer.Deliver"/>: RTP is counted from its clear header and one packet in
/// <see cref="SyntheticPeer.DecryptEvery"/> is authenticated, decrypted and timed. Peers are handed over once connected
/// (their own receive thread parks); a paused peer leaves the set (its socket then drops what arrives) until resumed.
/// A paused peer's socket is still read every <see cref="PausedReadInterval"/>: what its minimal buffer holds then (a
/// packet or two) is decrypted, so its SRTP receive context never falls 32,768 packets behind its stream (RFC 3711
/// §3.3.1: past that its index estimate is off by a rollover and every later packet fails). Without it two capacity
/// rounds at N = 50 (8,000 video packets/s per subscriber for 4 s) put the first subscribers' video out of step for good.
/// Peers leave it for good through <see cref="Remove"/> (a peer's Dispose calls it). States: running → disposed.
/// </summary>
internal sealed class SubscriberPoller : IDisposable
{
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const uint EpollIn = 0x001;
    private const int MaxEvents = 256;
    private const int DrainPerWake = 64;

    // struct epoll_event is packed on x86-64 (12 bytes: u32 events, u64 data) and naturally aligned elsewhere (16).
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly int _epoll;
    private readonly Thread _thread;
    private readonly Lock _gate = new();
    private readonly byte[] _control;
    private SyntheticPeer?[] _peers = [];
    private SyntheticPeer? _delivering;
    private SyntheticPeer[] _paused = [];
    private volatile bool _stopping;

    /// <summary>Whether paused peers' sockets are read at all (off only to show what happens without it).</summary>
    public bool ReadPaused { get; init; } = true;

    /// <summary>How often a paused peer's socket is read (at the 40,000 packets/s a publisher is offered at most: 10,000 behind).</summary>
    public static readonly TimeSpan PausedReadInterval = TimeSpan.FromMilliseconds(250);

    public SubscriberPoller(string name)
    {
        _epoll = NativeMethods.EpollCreate1(0);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed ({Marshal.GetLastPInvokeError()}): the benchmark's poller needs Linux");
        }
        _control = new byte[EventSize];
        _thread = new Thread(Loop) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>Takes over the receiving of these connected peers and waits until their own threads have parked.</summary>
    public void Adopt(IReadOnlyList<SyntheticPeer> peers)
    {
        foreach (var peer in peers)
        {
            HandOver(peer);
        }
        foreach (var peer in peers)
        {
            peer.WaitParked();
        }
    }

    /// <summary>
    /// Takes over the receiving of this connected peer without waiting: its own thread finishes the receive it is in
    /// (200 ms at most), makes the socket non-blocking and asks this poller to watch it; until then that thread still
    /// reads it. A peer in the middle of a benchmark is handed over this way, so no caller blocks on a starved thread.
    /// </summary>
    public void HandOver(SyntheticPeer peer)
    {
        lock (_gate)
        {
            var grown = new SyntheticPeer?[_peers.Length + 1];
            _peers.CopyTo(grown, 0);
            grown[^1] = peer;
            peer.Poller = this;
            peer.PollerIndex = _peers.Length;
            Volatile.Write(ref _peers, grown);
        }
        peer.Detach();
    }

    /// <summary>
    /// Stops reading this peer for good (before it is disposed): out of the epoll set and the paused list, and not
    /// returned before this poller's thread is done with any datagram of it it was handling.
    /// </summary>
    public void Remove(SyntheticPeer peer)
    {
        lock (_gate)
        {
            peer.PollerRemoved = true;
            _ = NativeMethods.EpollCtl(_epoll, EpollCtlDel, (int)peer.Socket.Handle, _control);
            Volatile.Write(ref _paused, Array.FindAll(_paused, p => !ReferenceEquals(p, peer)));
            var peers = (SyntheticPeer?[])_peers.Clone();
            if ((uint)peer.PollerIndex < (uint)peers.Length && ReferenceEquals(peers[peer.PollerIndex], peer))
            {
                peers[peer.PollerIndex] = null;
            }
            Volatile.Write(ref _peers, peers);
        }
        // The thread publishes the peer it is about to read and then checks it is still listed (both full fences):
        // either it sees the removal, or this sees it busy and waits for it to finish.
        var spin = new SpinWait();
        while (ReferenceEquals(Volatile.Read(ref _delivering), peer))
        {
            spin.SpinOnce();
        }
    }

    /// <summary>Starts (again) reading this adopted peer's socket.</summary>
    public void Watch(SyntheticPeer peer)
    {
        lock (_gate)
        {
            if (peer.PollerRemoved)
            {
                return;
            }
            BinaryPrimitives.WriteUInt32LittleEndian(_control, EpollIn);
            BinaryPrimitives.WriteUInt64LittleEndian(_control.AsSpan(DataOffset), (ulong)peer.PollerIndex);
            if (NativeMethods.EpollCtl(_epoll, EpollCtlAdd, (int)peer.Socket.Handle, _control) != 0)
            {
                throw new InvalidOperationException($"epoll_ctl ADD failed ({Marshal.GetLastPInvokeError()})");
            }
            Volatile.Write(ref _paused, Array.FindAll(_paused, p => !ReferenceEquals(p, peer)));
        }
    }

    /// <summary>Stops reading this peer's socket (what arrives meanwhile stays in, or is dropped at, its socket).</summary>
    public void Unwatch(SyntheticPeer peer)
    {
        lock (_gate)
        {
            _ = NativeMethods.EpollCtl(_epoll, EpollCtlDel, (int)peer.Socket.Handle, _control);
            if (Array.IndexOf(_paused, peer) < 0)
            {
                Volatile.Write(ref _paused, [.. _paused, peer]);
            }
        }
    }

    private void Loop()
    {
        var events = new byte[MaxEvents * EventSize];
        var buffer = new byte[2048];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var nextPausedRead = PausedReadInterval;
        while (!_stopping)
        {
            if (ReadPaused && clock.Elapsed >= nextPausedRead)
            {
                ReadPausedSockets(buffer);
                nextPausedRead = clock.Elapsed + PausedReadInterval;
            }
            var ready = NativeMethods.EpollWait(_epoll, events, MaxEvents, 50);
            var peers = Volatile.Read(ref _peers);
            for (var e = 0; e < ready; e++)
            {
                var index = (int)BinaryPrimitives.ReadUInt64LittleEndian(events.AsSpan(e * EventSize + DataOffset));
                if ((uint)index >= (uint)peers.Length)
                {
                    continue;
                }
                if (peers[index] is not { } peer || !Claim(peer, index))
                {
                    continue;
                }
                // A bounded drain per wake-up keeps one busy socket from starving the others; level-triggered epoll
                // reports it again if anything is left.
                Drain(peer, buffer, DrainPerWake, paused: false);
                Volatile.Write(ref _delivering, null);
            }
        }
    }

    /// <summary>
    /// Marks the peer being read (see <see cref="Remove"/>): at <paramref name="index"/> in the watched peers, or
    /// paused (-1). False, and unmarked, if it was removed meanwhile.
    /// </summary>
    private bool Claim(SyntheticPeer peer, int index)
    {
        Interlocked.Exchange(ref _delivering, peer);
        var listed = index >= 0 ? ReferenceEquals(Volatile.Read(ref _peers)[index], peer) : Array.IndexOf(Volatile.Read(ref _paused), peer) >= 0;
        if (listed)
        {
            return true;
        }
        Volatile.Write(ref _delivering, null);
        return false;
    }

    // A paused socket's buffer is the kernel's minimum: a few datagrams at most are waiting.
    private void ReadPausedSockets(byte[] buffer)
    {
        foreach (var peer in Volatile.Read(ref _paused))
        {
            if (Claim(peer, -1))
            {
                Drain(peer, buffer, 8, paused: true);
                Volatile.Write(ref _delivering, null);
            }
        }
    }

    /// <summary>Reads up to <paramref name="max"/> datagrams waiting at a peer's socket and hands each to it.</summary>
    private static void Drain(SyntheticPeer peer, byte[] buffer, int max, bool paused)
    {
        for (var d = 0; d < max; d++)
        {
            int n;
            try
            {
                n = peer.Socket.Receive(buffer, SocketFlags.None, out var error);
                if (error != SocketError.Success)
                {
                    return;
                }
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (n <= 0)
            {
                continue;
            }
            if (paused)
            {
                peer.DeliverWhilePaused(buffer.AsSpan(0, n));
            }
            else
            {
                peer.Deliver(buffer.AsSpan(0, n));
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(1000);
        _ = NativeMethods.Close(_epoll);
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int EpollCreate1(int flags);

        [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int EpollCtl(int epfd, int op, int fd, byte[] @event);

        [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int EpollWait(int epfd, [Out] byte[] events, int maxEvents, int timeout);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
