using System.Buffers.Binary;

namespace LiveClassroom.Media.Srtp;

// RFC 3711 §3.3 (SRTP processing), §3.3.1 (index estimation), §3.3.2 (replay), §3.4 (SRTCP);
// RFC 7714 §8–§9 for the AEAD variant (the subclasses implement the transforms).
/// <summary>
/// One direction of SRTP + SRTCP for every SSRC of a transport (a BUNDLE): create one for sending and one for
/// receiving. Per-SSRC state (ROC, replay windows, SRTCP index) is kept separately for each SSRC and only
/// updated after a packet authenticated. Not thread-safe: one thread at a time per context (the receive
/// context belongs to the transport's receive thread, the send context to whichever thread sends for this peer).
/// Calls never throw for bad packets; they return a status and leave the state unchanged.
/// </summary>
internal abstract class SrtpContext : IDisposable
{
    /// <summary>Cap on tracked SSRCs; a new SSRC beyond it evicts the least recently used one (a long class sees many
    /// camera restarts, each a new SSRC, and must not run out).</summary>
    public const int MaxStreams = 1024;

    private readonly Dictionary<uint, SrtpStream> _streams = [];
    private readonly long[] _failures = new long[(int)SrtpStatus.Disposed + 1];
    private bool _disposed;
    private long _useTick;

    protected SrtpContext(SrtpProfile profile)
    {
        Profile = profile;
        RtpOverhead = SrtpProfileInfo.RtpOverhead(profile);
        RtcpOverhead = SrtpProfileInfo.RtcpOverhead(profile);
    }

    public SrtpProfile Profile { get; }

    /// <summary>Bytes <see cref="ProtectRtp"/> adds; the buffer must have this much room after the packet.</summary>
    public int RtpOverhead { get; }

    /// <summary>Bytes <see cref="ProtectRtcp"/> adds.</summary>
    public int RtcpOverhead { get; }

    public int StreamCount => _streams.Count;

    public static SrtpContext Create(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (!SrtpProfileInfo.IsSupported(profile))
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "unsupported SRTP profile");
        }
        if (masterKey.Length != SrtpProfileInfo.KeyLength(profile) || masterSalt.Length != SrtpProfileInfo.SaltLength(profile))
        {
            throw new ArgumentException("master key or salt has the wrong length for " + profile);
        }
        return SrtpProfileInfo.IsAead(profile)
            ? AesGcmSrtpContext.FromMasterKey(masterKey, masterSalt)
            : AesCmSrtpContext.FromMasterKey(masterKey, masterSalt);
    }

    /// <summary>How many packets were refused with <paramref name="status"/>.</summary>
    public long FailureCount(SrtpStatus status) => _failures[(int)status];

    /// <summary>ROC of an SSRC as this context last saw it (for tests and stats), or null if unknown.</summary>
    public uint? GetRolloverCounter(uint ssrc) =>
        _streams.TryGetValue(ssrc, out var s) && s.HasRtpIndex ? s.RolloverCounter : null;

    /// <summary>Forgets an SSRC's state (its sender left); a later packet for it starts fresh at ROC 0.</summary>
    public bool RemoveStream(uint ssrc) => _streams.Remove(ssrc);

    /// <summary>Sets the next SRTCP index sent for an SSRC (test vectors; resuming a stream).</summary>
    public void SetNextRtcpIndex(uint ssrc, uint index)
    {
        GetOrCreate(ssrc).NextRtcpIndex = index & 0x7FFFFFFF;
    }

    /// <summary>Encrypts and authenticates the RTP packet in buffer[..length] in place; buffer needs <see cref="RtpOverhead"/> spare bytes.</summary>
    public SrtpStatus ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length)
        {
            return Fail(SrtpStatus.BufferTooSmall);
        }
        var status = CheckUsable(buffer[..length], out var headerLength);
        if (status != SrtpStatus.Ok)
        {
            return Fail(status);
        }
        if (buffer.Length - length < RtpOverhead)
        {
            return Fail(SrtpStatus.BufferTooSmall);
        }
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var seq = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        var stream = GetOrCreate(ssrc);
        if (!SrtpStream.TryEstimateIndex(stream.HasRtpIndex, stream.HighestIndex, seq, out var index))
        {
            return Fail(SrtpStatus.TooOld);
        }
        EncryptRtp(buffer[..(length + RtpOverhead)], headerLength, length, ssrc, index);
        if (!stream.HasRtpIndex || index > stream.HighestIndex)
        {
            stream.HighestIndex = index;
            stream.HasRtpIndex = true;
        }
        protectedLength = length + RtpOverhead;
        return SrtpStatus.Ok;
    }

    /// <summary>Authenticates and decrypts an SRTP packet in place; on success the plain RTP packet is packet[..plainLength].</summary>
    public SrtpStatus UnprotectRtp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        if (packet.Length < 12 + RtpOverhead)
        {
            return Fail(SrtpStatus.TooShort);
        }
        var payloadEnd = packet.Length - RtpOverhead;
        var status = CheckUsable(packet[..payloadEnd], out var headerLength);
        if (status != SrtpStatus.Ok)
        {
            return Fail(status);
        }
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        var seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        _streams.TryGetValue(ssrc, out var stream);
        var hasIndex = stream is not null && stream.HasRtpIndex;
        if (!SrtpStream.TryEstimateIndex(hasIndex, hasIndex ? stream!.HighestIndex : 0, seq, out var index))
        {
            return Fail(SrtpStatus.TooOld);
        }
        if (stream is not null)
        {
            status = stream.RtpWindow.Check(index);
            if (status != SrtpStatus.Ok)
            {
                return Fail(status);
            }
        }
        if (!DecryptRtp(packet, headerLength, ssrc, index))
        {
            return Fail(SrtpStatus.AuthenticationFailed);
        }
        stream = GetOrCreate(ssrc);
        if (!stream.HasRtpIndex || index > stream.HighestIndex)
        {
            stream.HighestIndex = index;
            stream.HasRtpIndex = true;
        }
        stream.RtpWindow.Accept(index);
        plainLength = payloadEnd;
        return SrtpStatus.Ok;
    }

    /// <summary>Protects the RTCP (compound) packet in buffer[..length] in place; buffer needs <see cref="RtcpOverhead"/> spare bytes.</summary>
    public SrtpStatus ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (_disposed)
        {
            return Fail(SrtpStatus.Disposed);
        }
        if ((uint)length > (uint)buffer.Length || buffer.Length - length < RtcpOverhead)
        {
            return Fail(SrtpStatus.BufferTooSmall);
        }
        if (length < 8)
        {
            return Fail(SrtpStatus.TooShort);
        }
        if ((buffer[0] >> 6) != 2)
        {
            return Fail(SrtpStatus.BadVersion);
        }
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        var stream = GetOrCreate(ssrc);
        var index = stream.NextRtcpIndex;
        stream.NextRtcpIndex = (index + 1) & 0x7FFFFFFF;
        EncryptRtcp(buffer[..(length + RtcpOverhead)], length, ssrc, index);
        protectedLength = length + RtcpOverhead;
        return SrtpStatus.Ok;
    }

    /// <summary>Authenticates and (if the E flag is set) decrypts an SRTCP packet in place.</summary>
    public SrtpStatus UnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        if (_disposed)
        {
            return Fail(SrtpStatus.Disposed);
        }
        if (packet.Length < 8 + RtcpOverhead)
        {
            return Fail(SrtpStatus.TooShort);
        }
        if ((packet[0] >> 6) != 2)
        {
            return Fail(SrtpStatus.BadVersion);
        }
        var word = BinaryPrimitives.ReadUInt32BigEndian(packet[RtcpIndexOffset(packet.Length)..]);
        var encrypted = (word & 0x80000000u) != 0;
        var index = word & 0x7FFFFFFFu;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        _streams.TryGetValue(ssrc, out var stream);
        if (stream is not null)
        {
            var status = stream.RtcpWindow.Check(index);
            if (status != SrtpStatus.Ok)
            {
                return Fail(status);
            }
        }
        if (!DecryptRtcp(packet, ssrc, index, encrypted))
        {
            return Fail(SrtpStatus.AuthenticationFailed);
        }
        stream = GetOrCreate(ssrc);
        stream.RtcpWindow.Accept(index);
        plainLength = packet.Length - RtcpOverhead;
        return SrtpStatus.Ok;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        DisposeCrypto();
        GC.SuppressFinalize(this);
    }

    /// <summary>Encrypts packet[header..payloadEnd] and writes the tag at payloadEnd; packet spans payloadEnd + tag.</summary>
    protected abstract void EncryptRtp(Span<byte> packet, int headerLength, int payloadEnd, uint ssrc, ulong index);

    /// <summary>Verifies the trailing tag and decrypts in place; false (state untouched) on authentication failure.</summary>
    protected abstract bool DecryptRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index);

    /// <summary>Encrypts packet[8..length], appends E||index and the tag in the profile's order.</summary>
    protected abstract void EncryptRtcp(Span<byte> packet, int length, uint ssrc, uint index);

    /// <summary>Where the E||SRTCP-index word sits in a protected packet of the given length.</summary>
    protected abstract int RtcpIndexOffset(int packetLength);

    protected abstract bool DecryptRtcp(Span<byte> packet, uint ssrc, uint index, bool encrypted);

    protected abstract void DisposeCrypto();

    private SrtpStatus CheckUsable(ReadOnlySpan<byte> rtp, out int headerLength)
    {
        headerLength = 0;
        if (_disposed)
        {
            return SrtpStatus.Disposed;
        }
        if (rtp.Length < 12)
        {
            return SrtpStatus.TooShort;
        }
        if ((rtp[0] >> 6) != 2)
        {
            return SrtpStatus.BadVersion;
        }
        // RFC 3550 §5.1 / §5.3.1: fixed header, CSRCs, then an optional extension; all of it stays in the clear.
        var length = 12 + (4 * (rtp[0] & 0x0F));
        if ((rtp[0] & 0x10) != 0)
        {
            if (rtp.Length < length + 4)
            {
                return SrtpStatus.MalformedHeader;
            }
            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(rtp[(length + 2)..]));
        }
        if (length > rtp.Length)
        {
            return SrtpStatus.MalformedHeader;
        }
        headerLength = length;
        return SrtpStatus.Ok;
    }

    private SrtpStream GetOrCreate(uint ssrc)
    {
        var tick = ++_useTick;
        if (_streams.TryGetValue(ssrc, out var stream))
        {
            stream.LastUsed = tick;
            return stream;
        }
        if (_streams.Count >= MaxStreams)
        {
            EvictLeastRecentlyUsed();
        }
        stream = new SrtpStream(ssrc) { LastUsed = tick };
        _streams.Add(ssrc, stream);
        return stream;
    }

    private void EvictLeastRecentlyUsed()
    {
        // O(n) but only when the table is full, which takes a thousand distinct SSRCs.
        SrtpStream? stalest = null;
        foreach (var candidate in _streams.Values)
        {
            if (stalest is null || candidate.LastUsed < stalest.LastUsed)
            {
                stalest = candidate;
            }
        }
        if (stalest is not null)
        {
            _streams.Remove(stalest.Ssrc);
        }
    }

    private SrtpStatus Fail(SrtpStatus status)
    {
        _failures[(int)status]++;
        return status;
    }
}
