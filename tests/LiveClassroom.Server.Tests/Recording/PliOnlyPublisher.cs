using System.Buffers.Binary;
using System.Diagnostics;
using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>
/// A browser publisher as a recorder meets it when a page comes back: a captured <see cref="RtpReplay"/> stream sent
/// under its own SSRCs, sequence numbers and timestamps (a new connection restarts them, RFC 3550 §8.2), whose encoder
/// sends a keyframe only when asked — the recorder's <see cref="Recorder.KeyframeNeeded"/> plays the PLI (RFC 4585
/// §6.3.1) — and whose first requests are lost on the way. Every keyframe nobody asked for is held back whole (the frames
/// after it still go out and decode with errors, which the recorder's stream copy does not mind), and, as an encoder that
/// never made that keyframe would, without a hole in the sequence numbers: the packets after it are renumbered. Its camera
/// may start a moment after its microphone, and it may declare its tracks at their first packet, as the SFU tap does.
/// </summary>
internal sealed class PliOnlyPublisher(Recorder recorder, RtpReplay replay, int generation)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _declared = [];
    private int _requests;
    private bool _pending;
    private uint? _passing;
    private uint? _holding;
    private ushort _withheld;
    private long _firstTicks;
    private long _lastTicks;

    /// <summary>How many of the first keyframe requests never reach this publisher.</summary>
    public int LostRequests { get; init; } = 2;

    /// <summary>Seconds of the stream the camera sends nothing, while the microphone already does.</summary>
    public double CameraDelay { get; init; }

    /// <summary>Declare each track at its first packet (its tap was closed when the page went away).</summary>
    public bool Declare { get; init; }

    /// <summary>Keyframes sent, each in answer to a request that got through.</summary>
    public int Answered { get; private set; }

    public int Requests => _requests;

    public long FirstPacketTicks => _firstTicks;

    public long LastPacketTicks => _lastTicks;

    /// <summary>Seconds between the first and the last packet sent.</summary>
    public double FedSeconds => Stopwatch.GetElapsedTime(_firstTicks, _lastTicks).TotalSeconds;

    public async Task PlayAsync()
    {
        recorder.KeyframeNeeded += OnKeyframeNeeded;
        try
        {
            await replay.PlayAsync(Send);
        }
        finally
        {
            recorder.KeyframeNeeded -= OnKeyframeNeeded;
        }
    }

    private void Send(string track, double at, byte[] captured)
    {
        var video = track == RtpFeeder.VideoTrack;
        if (video && at < CameraDelay)
        {
            return;
        }
        var packet = (byte[])captured.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)) + (generation * 7_919)));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4)) + (uint)(generation * 123_456_789));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8)) ^ (uint)(generation * 0x5A5A_1234));
        if (video)
        {
            if (!Pass(packet))
            {
                _withheld++;
                return;
            }
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)) - _withheld));
        }
        if (Declare && _declared.Add(track))
        {
            recorder.AddTrack(track, video ? MediaKind.Video : MediaKind.Audio, video ? RtpCodecInfo.H264() : RtpCodecInfo.Opus(),
                video ? TrackSource.Camera : TrackSource.Microphone);
        }
        var now = Stopwatch.GetTimestamp();
        if (_firstTicks == 0)
        {
            _firstTicks = now;
        }
        _lastTicks = now;
        // Outside the lock: the recorder may ask for a keyframe from inside OnRtp.
        recorder.OnRtp(track, packet);
    }

    /// <summary>Whether a video packet goes out: a keyframe only when a request is pending, each frame whole.</summary>
    private bool Pass(byte[] packet)
    {
        var timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));
        lock (_gate)
        {
            if (timestamp == _passing)
            {
                return true;
            }
            if (timestamp == _holding)
            {
                return false;
            }
            if (!RtpInspector.StartsKeyframe(RtpCodecInfo.H264(), packet))
            {
                return true;
            }
            if (_pending)
            {
                _pending = false;
                _passing = timestamp;
                Answered++;
                return true;
            }
            _holding = timestamp;
            return false;
        }
    }

    private void OnKeyframeNeeded(string trackId)
    {
        if (trackId != RtpFeeder.VideoTrack)
        {
            return;
        }
        lock (_gate)
        {
            _requests++;
            _pending |= _requests > LostRequests;
        }
    }
}
