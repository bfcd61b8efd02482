using LiveClassroom.Media;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// One SFU publisher track feeding a recorder. Idle → Feeding (first packet declares the track with its
/// negotiated codec) → Closed. The codec is only known for sure from the packets' track, so the track is declared
/// lazily on the packet thread; the lock makes a late packet after <see cref="Close"/> unable to re-declare it.
/// </summary>
internal sealed class RecorderTap
{
    private readonly IRecordingInput _recorder;
    private readonly TrackSource _source;
    private readonly Lock _gate = new();
    private IDisposable? _registration;
    private volatile bool _declared;
    private bool _closed;
    private long _packets;

    public RecorderTap(IRecordingInput recorder, string trackId, string peerId, string mid, TrackSource source)
    {
        _recorder = recorder;
        TrackId = trackId;
        PeerId = peerId;
        Mid = mid;
        _source = source;
    }

    public string TrackId { get; }

    public string PeerId { get; }

    public string Mid { get; }

    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>Set when the recorder refused the codec: the tap stays registered but ignores packets.</summary>
    public string? Refused { get; private set; }

    /// <summary>Registers on the SFU (which asks the publisher for a keyframe). Throws KeyNotFoundException for an unknown track.</summary>
    public void Attach(MediaRoom room)
    {
        // Registrations are made and disposed outside _gate: the SFU calls OnPacket holding its room lock, and
        // OnPacket takes _gate, so taking the room lock under _gate could deadlock.
        var registration = room.Tap(PeerId, Mid, OnPacket);
        IDisposable? old;
        lock (_gate)
        {
            if (_closed)
            {
                old = registration;
            }
            else
            {
                old = _registration;
                _registration = registration;
            }
        }
        old?.Dispose();
    }

    /// <summary>Stops the packets and tells the recorder the track is gone.</summary>
    public void Close()
    {
        IDisposable? registration;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }
            _closed = true;
            registration = _registration;
            _registration = null;
        }
        // Disposing waits for a packet in flight (the SFU's room lock); after it no packet arrives, so the
        // track can be removed without a late packet declaring it again.
        registration?.Dispose();
        if (_declared)
        {
            _recorder.RemoveTrack(TrackId);
        }
    }

    private void OnPacket(ReadOnlySpan<byte> packet, RtpCodec codec)
    {
        if (!_declared && !Declare(codec))
        {
            return;
        }
        Interlocked.Increment(ref _packets);
        _recorder.OnRtp(TrackId, packet);
    }

    private bool Declare(RtpCodec codec)
    {
        lock (_gate)
        {
            if (_closed || Refused is not null)
            {
                return false;
            }
            if (_declared)
            {
                return true;
            }
            try
            {
                var kind = codec.IsVideo ? MediaKind.Video : MediaKind.Audio;
                var info = new RtpCodecInfo(codec.PayloadType, codec.Name, codec.ClockRate, codec.Channels, codec.Fmtp);
                _recorder.AddTrack(TrackId, kind, info, _source);
                _declared = true;
                return true;
            }
            catch (NotSupportedException ex)
            {
                // Not a recordable codec: the class goes on; the recording simply lacks this track.
                Refused = ex.Message;
                return false;
            }
        }
    }
}
