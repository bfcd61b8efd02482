using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace LiveClassroom.Media.Transport;

/// <summary>
/// Datagrams one thread has ready for one remote address, sent together by <see cref="IPacketSender.SendMany"/>: on
/// Linux in one sendmmsg(2) call (the system call and socket lookup paid once per burst instead of once per datagram),
/// elsewhere one send each. Owned by one thread and reused for every burst (buffers and the message vector are pinned
/// once, for the thread's life): nothing is allocated per datagram. Fill: <see cref="Next"/>, write, <see cref="Commit"/>.
/// </summary>
internal sealed class DatagramSendQueue
{
    /// <summary>Datagrams a queue holds (a split fan-out defers at most this many packets per subscriber).</summary>
    public const int Capacity = 16;

    /// <summary>Room for one datagram: an RTP packet of the cache's largest size, its SRTP tag and header growth.</summary>
    public const int SlotSize = 1600;

    // x86-64 / arm64 (LP64) layouts: struct iovec { void*; size_t } = 16 bytes; struct mmsghdr { struct msghdr
    // { void* name; socklen_t namelen; struct iovec* iov; size_t iovlen; void* control; size_t controllen; int flags; };
    // unsigned int msg_len; } = 64 bytes.
    internal const int IovecSize = 16;
    internal const int MmsghdrSize = 64;

    private readonly byte[] _buffers = GC.AllocateArray<byte>(Capacity * SlotSize, pinned: true);
    private readonly int[] _lengths = new int[Capacity];
    private readonly byte[] _iovecs = GC.AllocateArray<byte>(Capacity * IovecSize, pinned: true);
    private readonly byte[] _messages = GC.AllocateArray<byte>(Capacity * MmsghdrSize, pinned: true);
    private readonly byte[] _address = GC.AllocateArray<byte>(128, pinned: true);

    public int Count { get; private set; }

    /// <summary>The next datagram's buffer (write the packet at its start); valid until <see cref="Commit"/> or <see cref="Clear"/>.</summary>
    public Span<byte> Next => _buffers.AsSpan(Count * SlotSize, SlotSize);

    /// <summary>Queues the packet written into <see cref="Next"/>.</summary>
    public void Commit(int length)
    {
        if (Count == Capacity || (uint)length > SlotSize)
        {
            throw new InvalidOperationException("send queue full or datagram too long");
        }
        _lengths[Count++] = length;
    }

    public ReadOnlySpan<byte> Packet(int index) => _buffers.AsSpan(index * SlotSize, _lengths[index]);

    public void Clear() => Count = 0;

    /// <summary>
    /// The mmsghdr vector for datagrams <paramref name="start"/>… to <paramref name="address"/> (copied into the queue's
    /// pinned sockaddr), as the address sendmmsg takes.
    /// </summary>
    internal nint Vector(int start, ReadOnlySpan<byte> address)
    {
        address.CopyTo(_address);
        var buffers = Address(_buffers);
        var iovecs = Address(_iovecs);
        var name = Address(_address);
        var messages = _messages.AsSpan();
        messages.Clear();
        for (var i = start; i < Count; i++)
        {
            var iov = _iovecs.AsSpan(i * IovecSize, IovecSize);
            BinaryPrimitives.WriteInt64LittleEndian(iov, buffers + (i * SlotSize));
            BinaryPrimitives.WriteInt64LittleEndian(iov[8..], _lengths[i]);
            var message = messages.Slice((i - start) * MmsghdrSize, MmsghdrSize);
            BinaryPrimitives.WriteInt64LittleEndian(message, name);
            BinaryPrimitives.WriteInt32LittleEndian(message[8..], address.Length);
            BinaryPrimitives.WriteInt64LittleEndian(message[16..], iovecs + (i * IovecSize));
            BinaryPrimitives.WriteInt64LittleEndian(message[24..], 1);
        }
        return (nint)Address(_messages);
    }

    // Arrays allocated pinned (the pinned object heap) never move: their address holds for their life.
    private static long Address(byte[] pinned) => (long)Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0);
}
