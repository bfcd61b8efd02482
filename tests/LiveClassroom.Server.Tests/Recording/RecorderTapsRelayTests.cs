using System.Buffers.Binary;
using System.Net;
using LiveClassroom.Media;
using LiveClassroom.Media.Sfu;
using LiveClassroom.Server.Recording;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>
/// A stage classroom on an edge node is recorded on the class's node from its stand-in there (the reverse feed, edge E →
/// origin A, over real relay sockets on loopback). The stand-in leaves A's room and comes back without the class hearing
/// of it (issue #17: E's feed leaves it out for a moment, or A's end of the link is suspended on silence and goes on):
/// the recording's tap closes with the track, as the recording does on every unpublishing, and must be attached again
/// when the SFU publishes the track again, or the recording lacks that classroom's microphone for the rest of the class.
/// </summary>
public sealed class RecorderTapsRelayTests : IDisposable
{
    private const string Room = "class-rec-1";
    private const string Classroom = "classroom-7";
    private const string Mid = "0";
    private const uint LinkId = 71;
    private static readonly byte[] Key = [8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23];
    private static readonly RtpCodec Opus = new(111, "opus", 48000, 2, "minptime=10;useinbandfec=1");
    private readonly MediaServer _a = NewServer();
    private readonly MediaServer _e = NewServer();
    private readonly MediaRelay _relayA;
    private readonly MediaRelay _relayE;
    private readonly CountingRecorder _recorder = new();
    private readonly RecorderTaps _taps;
    private readonly Lock _loop = new();
    private readonly byte[] _packet = new byte[64];
    private SfuPeer? _classroomOnE;
    private ushort _seq = 100;

    public RecorderTapsRelayTests()
    {
        _relayA = new MediaRelay(_a, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _relayE = new MediaRelay(_e, new MediaRelayOptions { BindAddress = IPAddress.Loopback });
        _taps = new RecorderTaps(_recorder, Room, NullLogger.Instance);
        // As LiveClassRecording's loop applies the SFU's events (one at a time).
        _a.PeerGone += (_, e) => Apply(() => _taps.Close(t => t.PeerId == e.PeerId));
        _a.TrackUnpublished += (_, e) => Apply(() => _taps.Close(t => t.PeerId == e.PeerId && t.Mid == e.Mid));
        _a.TrackPublished += (_, e) => Apply(() => _taps.OnTrackPublished(e.PeerId, e.Mid, _a.GetRoom(e.RoomId)));
    }

    [Fact]
    public void StageClassroomsStandInLeavesAndComesBack_TheRecordingTapsItsMicrophoneAgain()
    {
        var roomA = FeedBack([Classroom]);
        Apply(() => _taps.Want(new() { [$"{Classroom}/{Mid}"] = (Classroom, Mid, TrackSource.Microphone) }, roomA));
        Assert.Equal(1, roomA.Engine.TapCount(Classroom, Mid));
        Assert.True(SpeakUntilRecorded(), "the recorder got none of the classroom's packets at first");

        // E's feed leaves the classroom out for a moment: its stand-in leaves A, the tap closes with the track.
        _relayE.Feed(Room, LinkId, Key, _relayA.LocalEndPoint, []);
        Assert.True(WaitUntil(() => _recorder.Removed == 1), "the tap never closed with the stand-in's track");
        _relayE.Feed(Room, LinkId, Key, _relayA.LocalEndPoint, [Classroom]);
        Assert.True(WaitUntil(() => roomA.PeerIds.Contains(Classroom)), "the stand-in never came back");

        Assert.True(WaitUntil(() => Locked(() => _taps.Reattached) == 1), "the recording never tapped the returning stand-in");
        Assert.Equal(1, roomA.Engine.TapCount(Classroom, Mid));
        Assert.True(SpeakUntilRecorded(), "the recorder got none of the classroom's packets after its stand-in came back");
        Assert.Equal(2, _recorder.Added);
    }

    [Fact]
    public void StandInReachesTheOriginAfterTheRecordingWantedIt_ItIsTappedWhenItComes()
    {
        var roomA = _a.CreateRoom(Room);
        // The class put the classroom on stage; its stand-in is not on A yet (the reverse feed is being opened).
        Apply(() => _taps.Want(new() { [$"{Classroom}/{Mid}"] = (Classroom, Mid, TrackSource.Microphone) }, roomA));
        Assert.Equal(0, _recorder.Added);

        FeedBack([Classroom]);

        Assert.True(WaitUntil(() => Locked(() => _taps.Reattached) == 1), "the recording never tapped the stand-in that came after");
        Assert.True(SpeakUntilRecorded(), "the recorder got none of the classroom's packets");
    }

    /// <summary>E (where the classroom publishes; here its track is itself relayed in, from a node outside the test) feeds it back to A.</summary>
    private MediaRoom FeedBack(IReadOnlyList<string> publishers)
    {
        var roomE = _e.CreateRoom(Room);
        _classroomOnE = roomE.Engine.AddRelayPeer(Classroom, new ElsewhereUplink(), [new RelayTrackInfo(Classroom, Mid, "audio", Opus, [], null, [])]);
        _relayA.Receive(Room, LinkId, Key, _relayE.LocalEndPoint);
        _relayE.Feed(Room, LinkId, Key, _relayA.LocalEndPoint, publishers);
        var roomA = _a.GetRoom(Room)!;
        Assert.True(WaitUntil(() => roomA.PeerIds.Contains(Classroom)), "the classroom's stand-in never reached A");
        return roomA;
    }

    /// <summary>The classroom's microphone sends on E until the recorder on A has a packet it had not got before.</summary>
    private bool SpeakUntilRecorded()
    {
        var before = _recorder.Packets;
        return WaitUntil(() =>
        {
            _packet.AsSpan().Clear();
            _packet[0] = 0x80;
            _packet[1] = 111;
            BinaryPrimitives.WriteUInt16BigEndian(_packet.AsSpan(2), _seq);
            BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(4), _seq * 960u);
            BinaryPrimitives.WriteUInt32BigEndian(_packet.AsSpan(8), 0x7777_0001);
            _seq++;
            _e.GetRoom(Room)!.Engine.OnRelayRtp(_classroomOnE!, Mid, null, _packet, recovered: false);
            return _recorder.Packets > before;
        });
    }

    private void Apply(Action action)
    {
        lock (_loop)
        {
            action();
        }
    }

    private T Locked<T>(Func<T> read)
    {
        lock (_loop)
        {
            return read();
        }
    }

    private static bool WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }
            Thread.Sleep(20);
        }
        return true;
    }

    private static MediaServer NewServer() => new(new MediaServerOptions
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
    });

    public void Dispose()
    {
        _relayA.Dispose();
        _relayE.Dispose();
        _a.Dispose();
        _e.Dispose();
    }

    /// <summary>The link the classroom's track comes to E over, from a node outside the test (not A: A is fed it).</summary>
    private sealed class ElsewhereUplink : IRelayUplink
    {
        public IPEndPoint RemoteEndPoint { get; } = new(IPAddress.Loopback, 9);

        public long OpenedOrder => 0;

        public bool SendRtcp(ReadOnlySpan<byte> rtcp) => true;
    }

    private sealed class CountingRecorder : IRecordingInput
    {
        private long _packets;
        private int _added;
        private int _removed;

        public Guid RecordingId { get; } = Guid.NewGuid();

        public long Packets => Interlocked.Read(ref _packets);

        public int Added => Volatile.Read(ref _added);

        public int Removed => Volatile.Read(ref _removed);

        public event Action<string>? KeyframeNeeded
        {
            add { }
            remove { }
        }

        public void AddTrack(string trackId, MediaKind kind, RtpCodecInfo codec, TrackSource source = TrackSource.Camera) => Interlocked.Increment(ref _added);

        public void RemoveTrack(string trackId) => Interlocked.Increment(ref _removed);

        public void OnRtp(string trackId, ReadOnlySpan<byte> rtpPacket) => Interlocked.Increment(ref _packets);

        public void AddChapter(ChapterType type, string? labelZh = null, string? labelEn = null)
        {
        }
    }
}
