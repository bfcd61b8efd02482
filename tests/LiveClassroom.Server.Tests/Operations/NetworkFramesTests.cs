using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Operations;

namespace LiveClassroom.Server.Tests.Operations;

/// <summary>The dashboard's frame: whose link speaks for a classroom, where its figures come from, and how it is rated.</summary>
public sealed class NetworkFramesTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Connected", 50.0, 0.0, 5.0, false, "good")]
    [InlineData("Connected", 250.0, 0.0, 5.0, false, "fair")]
    [InlineData("Connected", 50.0, 0.03, 5.0, false, "fair")]
    [InlineData("Connected", 50.0, 0.0, 40.0, false, "good")]
    [InlineData("Connected", 50.0, 0.0, 80.0, false, "fair")]
    [InlineData("Connected", 50.0, 0.0, 200.0, false, "poor")]
    [InlineData("Connected", 450.0, 0.0, 5.0, false, "poor")]
    [InlineData("Connected", 50.0, 0.1, 5.0, false, "poor")]
    [InlineData("Connected", 50.0, 0.0, 5.0, true, "poor")]
    [InlineData("Reconnecting", null, null, null, false, "poor")]
    [InlineData("Absent", null, null, null, false, "unknown")]
    [InlineData("Connected", null, null, null, false, "unknown")]
    public void Rate_Figures_Level(string connection, double? rtt, double? loss, double? jitter, bool paused, string level)
    {
        Assert.Equal(level, NetworkQuality.Rate(connection, rtt, loss, jitter, paused));
        Assert.Equal(level is "fair" or "poor", NetworkQuality.IsDegraded(level));
    }

    [Fact]
    public void Build_DeviceAndAssistantConnected_TheDevicesSfuFiguresSpeakForTheClassroom()
    {
        var snapshot = Snapshot(
            [Participant("assistant", PrincipalKind.Person, "rural-1", ConnectionState.Connected), Participant("device", PrincipalKind.Device, "rural-1", ConnectionState.Connected)],
            stageSeat: 1);
        var links = new[]
        {
            new ParticipantLink("assistant", RoomRole.Classroom, "rural-1", new PeerMediaStats("assistant", "connected", 1, 1, 0.5, 900, "q")),
            new ParticipantLink("device", RoomRole.Classroom, "rural-1", new PeerMediaStats("device", "connected", 500_000, 1_000_000, 0.0, 42.04, "f", 0.01, 4, 3.3, 2_500_000)),
        };

        var frame = NetworkFrames.Build("c", 7, At, snapshot, links, recording: true);

        Assert.Equal(7, frame.Seq);
        Assert.True(frame.Recording);
        var rural = frame.Classrooms.Single(c => c.ClassroomId == "rural-1");
        Assert.Equal("青山村小学 · 三年级教室", rural.Name);
        Assert.Equal(("sfu", "connected", 42.0, "f", 1_000_000L, 500_000L, 3.3), (rural.Source, rural.MediaState, rural.RoundTripTimeMs, rural.Layer, rural.DownBitrateBps, rural.UpBitrateBps, rural.JitterMs));
        Assert.Equal(2_500_000, rural.EstimatedBitrateBps);
        Assert.Equal(1, rural.StageSeat);
        Assert.Equal(2, rural.Reconnects);
        Assert.Equal("good", rural.Quality);
    }

    [Fact]
    public void Build_NoSfuPeerButABrowserReport_BrowserFiguresWithPictureAndNoLayer()
    {
        var stats = new ParticipantStats("device", 120, 0.03, 800_000, 300_000, "fair", 12, 640, 360, 15);
        var snapshot = Snapshot([Participant("device", PrincipalKind.Device, "rural-1", ConnectionState.Connected, stats)]);

        var rural = NetworkFrames.Build("c", 1, At, snapshot, [], recording: null).Classrooms.Single(c => c.ClassroomId == "rural-1");

        Assert.Equal("browser", rural.Source);
        Assert.Null(rural.MediaState);
        Assert.Equal((120.0, 0.03, 800_000L, 12.0), (rural.RoundTripTimeMs, rural.DownLoss, rural.DownBitrateBps, rural.JitterMs));
        Assert.Equal((640, 360, 15.0), (rural.FrameWidth, rural.FrameHeight, rural.FramesPerSecond));
        Assert.Null(rural.Layer);
        Assert.Equal("fair", rural.Quality);
        Assert.True(rural.Degraded);
    }

    [Fact]
    public void Build_ClassroomReconnectingOrNeverThere_PoorAndAbsentWithoutFigures()
    {
        var snapshot = Snapshot([Participant("device", PrincipalKind.Device, "rural-1", ConnectionState.Reconnecting)]);

        var frame = NetworkFrames.Build("c", 1, At, snapshot, [], recording: false);

        var reconnecting = frame.Classrooms.Single(c => c.ClassroomId == "rural-1");
        Assert.Equal(("Reconnecting", "poor", "none"), (reconnecting.Connection, reconnecting.Quality, reconnecting.Source));
        Assert.Null(reconnecting.RoundTripTimeMs);
        var lead = frame.Classrooms.Single(c => c.IsLead);
        Assert.Equal(("Absent", "unknown"), (lead.Connection, lead.Quality));
        Assert.Equal("lead", frame.Classrooms[0].ClassroomId);
    }

    private static ParticipantView Participant(string id, PrincipalKind kind, string classroom, ConnectionState connection, ParticipantStats? stats = null) =>
        new(id, id, RoomRole.Classroom, kind, classroom, 1, connection, id, null, stats);

    private static ClassSnapshot Snapshot(IReadOnlyList<ParticipantView> participants, int? stageSeat = null) => new(
        "c", ClassState.Live, "语文", null, null, "teacher", "lead", null, At, null, 2,
        [
            new ClassroomView("rural-1", "三年级教室", false, 1, true, null, stageSeat, false, new Attendance(At, null, 10, 2), "青山村小学"),
            new ClassroomView("lead", "主讲教室", true, 0, false, null, null, false, new Attendance(null, null, 0, 0), "第一实验小学"),
        ],
        participants, [], stageSeat is { } s ? [new StageSeat(s, "rural-1")] : [], [], 1);
}
