using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Research;

/// <summary>The research grain's SFU routing: host, speaker and tile slots follow the floor and presence.</summary>
public sealed class ResearchSessionGrainMediaTests
{
    private static readonly Guid SessionId = Guid.Parse("5e551000-0000-0000-0000-000000000001");
    private static readonly string Room = $"research-{SessionId:N}";
    private static readonly Guid HostId = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid ObserverId = Guid.Parse("00000000-0000-0000-0000-0000000000c1");
    private static readonly RoomCaller Host = Person(HostId, "刘教研");
    private static readonly RoomCaller Observer = Person(ObserverId, "李观摩");

    private static RoomCaller Person(Guid id, string name) => new(id.ToString(), name, RoomRole.Observer);

    private static Guid ParticipantId(int n) => Guid.Parse($"00000000-0000-0000-0000-0000000001{n:D2}");

    private static RoomCaller Participant(int n) => Person(ParticipantId(n), $"老师{n}");

    /// <summary>Slots every test subscriber asks for: mids r-host, r-host-audio, r-speaker, r-speaker-audio, r-tile1…3.</summary>
    private static readonly IReadOnlyList<ReceiveSlot> Slots =
        [new("host", "r-host"), new("host-audio", "r-host-audio"), new("speaker", "r-speaker"), new("speaker-audio", "r-speaker-audio"),
         new("tile1", "r-tile1"), new("tile2", "r-tile2"), new("tile3", "r-tile3")];

    private static MediaOffer Publishing() => new("v=0 offer", new PublishedTracks("cam", "mic"), Slots);

    private static MediaOffer ReceiveOnly() => new("v=0 offer", new PublishedTracks(), Slots);

    private static async Task<IResearchSessionGrain> LiveAsync(TestGrainHost host)
    {
        var session = host.GetGrain<IResearchSessionGrain>(SessionId.ToString());
        await session.SetUpLiveAsync(RoomCaller.System, new ResearchLiveSetup(HostId, "刘教研", "评课", host.Time.GetUtcNow(),
            [new SegmentPlan("observe", "观课", 2400), new SegmentPlan("review", "评课", 1800)], 120));
        await session.StartAsync(Host);
        await session.JoinAsAsync(Host, ResearchRoles.Participant, "h1");
        await session.ConnectMediaAsync(Host, Publishing());
        return session;
    }

    private static async Task JoinWithMediaAsync(IResearchSessionGrain session, int n)
    {
        await session.JoinAsAsync(Participant(n), ResearchRoles.Participant, $"c{n}");
        await session.ConnectMediaAsync(Participant(n), Publishing());
    }

    /// <summary>Participant n joins with media, asks for the floor and the host grants it.</summary>
    private static async Task JoinAndGetTheFloorAsync(IResearchSessionGrain session, int n)
    {
        await JoinWithMediaAsync(session, n);
        await session.RequestFloorAsync(Participant(n));
        await session.GrantFloorAsync(Host, ParticipantId(n));
    }

    private static MediaSource? Route(TestGrainHost host, Guid subscriber, string mid) => host.Media.RouteOf(Room, subscriber.ToString(), mid);

    private static MediaSource Camera(Guid person) => new(person.ToString(), "cam");

    [Fact]
    public async Task GrantFloor_ToParticipant_EverySubscribersSpeakerSlotsPointAtTheSpeaker()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await JoinWithMediaAsync(session, 1);
        await JoinWithMediaAsync(session, 2);
        await session.RequestFloorAsync(Participant(1));

        await session.GrantFloorAsync(Host, ParticipantId(1));

        foreach (var subscriber in new[] { HostId, ParticipantId(2) })
        {
            Assert.Equal(Camera(ParticipantId(1)), Route(host, subscriber, "r-speaker"));
            Assert.Equal(new MediaSource(ParticipantId(1).ToString(), "mic"), Route(host, subscriber, "r-speaker-audio"));
        }
        Assert.Null(Route(host, ParticipantId(1), "r-speaker"));
        Assert.Equal(Camera(HostId), Route(host, ParticipantId(1), "r-host"));
        Assert.Equal(new MediaSource(HostId.ToString(), "mic"), Route(host, ParticipantId(2), "r-host-audio"));
    }

    [Fact]
    public async Task TurnTimer_Expires_SpeakerSlotsGoDark()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await JoinAndGetTheFloorAsync(session, 1);
        await JoinWithMediaAsync(session, 2);
        Assert.NotNull(Route(host, ParticipantId(2), "r-speaker"));

        await host.AdvanceAsync(TimeSpan.FromSeconds(130));

        Assert.Null(Route(host, ParticipantId(2), "r-speaker"));
        Assert.Null(Route(host, ParticipantId(2), "r-speaker-audio"));
        Assert.Null(Route(host, HostId, "r-speaker"));
        Assert.Contains($"route {Room} {ParticipantId(2)} r-speaker -> none", host.Media.Calls);
    }

    [Fact]
    public async Task EndTurn_ByHost_SpeakerSlotsGoDark()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await JoinAndGetTheFloorAsync(session, 1);

        await session.EndTurnAsync(Host);

        Assert.Null(Route(host, HostId, "r-speaker"));
        Assert.Null(Route(host, HostId, "r-speaker-audio"));
    }

    [Fact]
    public async Task ConnectMedia_AnotherConnectionOfTheSamePerson_AnswerNamesTheOneThatHeldIt()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        var firstTab = new MediaHolder("node-a", "conn-1");
        var secondTab = new MediaHolder("node-b", "conn-2");

        var first = await session.ConnectMediaAsync(Host, Publishing() with { Holder = firstTab });
        var again = await session.ConnectMediaAsync(Host, Publishing() with { Holder = firstTab });
        var second = await session.ConnectMediaAsync(Host, Publishing() with { Holder = secondTab });

        // LiveAsync's own negotiation named no connection: the first one here took nothing over.
        Assert.Null(first.PreviousHolder);
        Assert.Null(again.PreviousHolder);
        Assert.Equal(firstTab, second.PreviousHolder);
    }

    [Fact]
    public async Task ConnectMedia_ObserverPublishing_RefusedForbiddenAndNothingNegotiated()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await session.JoinAsAsync(Observer, ResearchRoles.Observer, "o1");

        var refused = await Assert.ThrowsAsync<ResearchRuleException>(() => session.ConnectMediaAsync(Observer, Publishing()));

        Assert.Equal("forbidden", refused.Code);
        Assert.DoesNotContain(host.Media.Calls, c => c.Contains($"negotiate {Room} {ObserverId}", StringComparison.Ordinal));
        Assert.DoesNotContain(ObserverId, (await session.GetLiveAsync(Host)).Tiles);
    }

    [Fact]
    public async Task ConnectMedia_ObserverReceiveOnly_GetsHostAndIsNeverTiled()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await session.JoinAsAsync(Observer, ResearchRoles.Observer, "o1");

        var answer = await session.ConnectMediaAsync(Observer, ReceiveOnly());

        Assert.Equal(ObserverId.ToString(), answer.PeerId);
        Assert.Equal(Camera(HostId), Route(host, ObserverId, "r-host"));
        Assert.Empty((await session.GetLiveAsync(Host)).Tiles);
    }

    [Fact]
    public async Task ConnectMedia_UnknownSlotName_RefusedBadInput()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await session.JoinAsAsync(Participant(1), ResearchRoles.Participant, "c1");

        var refused = await Assert.ThrowsAsync<ResearchRuleException>(() =>
            session.ConnectMediaAsync(Participant(1), new MediaOffer("v=0", new PublishedTracks("cam"), [new ReceiveSlot("tile13", "r1")])));

        Assert.Equal("bad_input", refused.Code);
    }

    [Fact]
    public async Task Tiles_FourteenPublishers_JoinOrderCappedAtTwelveWithoutHost()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        for (var n = 1; n <= 14; n++)
        {
            await JoinWithMediaAsync(session, n);
            await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        }
        await session.JoinAsAsync(Participant(20), ResearchRoles.Participant, "c20");

        var tiles = (await session.GetLiveAsync(Host)).Tiles;

        Assert.Equal(Enumerable.Range(1, 12).Select(ParticipantId), tiles);
        Assert.Equal(Camera(ParticipantId(2)), Route(host, HostId, "r-tile2"));
        Assert.Null(Route(host, ParticipantId(3), "r-tile3"));
        Assert.Equal(Camera(ParticipantId(1)), Route(host, ParticipantId(3), "r-tile1"));
    }

    [Fact]
    public async Task Leave_TiledParticipant_PeerRemovedAndLaterTilesMoveUp()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await JoinWithMediaAsync(session, 1);
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        await JoinWithMediaAsync(session, 2);

        await session.LeaveAsync(Participant(1));

        Assert.Contains($"remove {Room} {ParticipantId(1)}", host.Media.Calls);
        Assert.Equal([ParticipantId(2)], (await session.GetLiveAsync(Host)).Tiles);
        Assert.Equal(Camera(ParticipantId(2)), Route(host, HostId, "r-tile1"));
        Assert.Null(Route(host, HostId, "r-tile2"));
    }

    [Fact]
    public async Task Reconnect_WithinGrace_KeepsTilePlaceAndRoutesAfterRenegotiating()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await JoinWithMediaAsync(session, 1);
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        await JoinWithMediaAsync(session, 2);

        await session.ConnectionLostAsync(Participant(1), "c1");
        // The peer stays in the SFU through the grace, so the page's renegotiation keeps its DTLS association.
        Assert.DoesNotContain($"remove {Room} {ParticipantId(1)}", host.Media.Calls);
        Assert.Equal([ParticipantId(2)], (await session.GetLiveAsync(Host)).Tiles);
        Assert.Null(Route(host, ParticipantId(2), "r-tile1"));
        await host.AdvanceAsync(TimeSpan.FromSeconds(20));
        await session.JoinAsAsync(Participant(1), ResearchRoles.Participant, "c1b");
        await session.ConnectMediaAsync(Participant(1), Publishing());

        Assert.Equal([ParticipantId(1), ParticipantId(2)], (await session.GetLiveAsync(Host)).Tiles);
        Assert.Equal(Camera(HostId), Route(host, ParticipantId(1), "r-host"));
        Assert.Equal(Camera(ParticipantId(2)), Route(host, ParticipantId(1), "r-tile2"));
        Assert.Equal(Camera(ParticipantId(1)), Route(host, HostId, "r-tile1"));
    }

    [Fact]
    public async Task GraceExpiry_NoReconnect_PresenceAndTileGone()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await JoinWithMediaAsync(session, 1);

        await session.ConnectionLostAsync(Participant(1), "c1");
        await host.AdvanceAsync(host.Options.ReconnectGrace + TimeSpan.FromSeconds(10));

        var live = await session.GetLiveAsync(Host);
        Assert.DoesNotContain(live.Participants, p => p.PersonId == ParticipantId(1));
        Assert.Null(Route(host, HostId, "r-tile1"));
        Assert.Contains($"remove {Room} {ParticipantId(1)}", host.Media.Calls);
    }

    [Fact]
    public async Task LateJoiner_ConnectsMedia_GetsCurrentHostSpeakerAndTiles()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await JoinAndGetTheFloorAsync(session, 1);

        await JoinWithMediaAsync(session, 2);

        Assert.Equal(Camera(HostId), Route(host, ParticipantId(2), "r-host"));
        Assert.Equal(Camera(ParticipantId(1)), Route(host, ParticipantId(2), "r-speaker"));
        Assert.Equal(Camera(ParticipantId(1)), Route(host, ParticipantId(2), "r-tile1"));
        Assert.Null(Route(host, ParticipantId(2), "r-tile2"));
    }

    [Fact]
    public async Task EndSession_WithPeers_ClosesTheSfuRoom()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await JoinWithMediaAsync(session, 1);

        await session.EndAsync(Host);

        Assert.Contains($"close {Room}", host.Media.Calls);
        await Assert.ThrowsAsync<ResearchRuleException>(() => session.ConnectMediaAsync(Participant(1), Publishing()));
    }

    [Fact]
    public async Task ConnectMedia_MalformedSdp_RefusedBadSdpAndSessionRunsOn()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await session.JoinAsAsync(Participant(1), ResearchRoles.Participant, "c1");

        var refused = await Assert.ThrowsAsync<ResearchRuleException>(() =>
            session.ConnectMediaAsync(Participant(1), new MediaOffer("invalid", new PublishedTracks("cam"), Slots)));

        Assert.Equal("bad_sdp", refused.Code);
        Assert.Empty((await session.GetLiveAsync(Host)).Tiles);
        Assert.Equal(ResearchSessionRules.StatusLive, (await session.GetLiveAsync(Host)).Status);
    }

    [Fact]
    public async Task ConnectMedia_OfferOverAMediaPlaneLimit_MediaLimitAndThePeerStaysAsItWas()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);

        var refused = await Assert.ThrowsAsync<ResearchRuleException>(() =>
            session.ConnectMediaAsync(Host, new MediaOffer("v=0 too-many-sections", new PublishedTracks("cam", "mic"), Slots)));

        Assert.Equal("media_limit", refused.Code);
        Assert.Contains("at most 40", refused.Message, StringComparison.Ordinal);
        Assert.Equal(new PublishedTracks("cam", "mic"), host.Media.PublishOf(Room, HostId.ToString()));
    }

    [Fact]
    public async Task ConnectMedia_FingerprintChangedOnTheSameConnection_RefusedWithThatReasonAndSessionRunsOn()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveAsync(host);
        await session.JoinAsAsync(Participant(1), ResearchRoles.Participant, "c1");

        var refused = await Assert.ThrowsAsync<MediaRefusedException>(() =>
            session.ConnectMediaAsync(Participant(1), new MediaOffer("refuse:FingerprintChanged", new PublishedTracks("cam"), Slots)));

        Assert.Equal(MediaRefusal.FingerprintChanged, refused.Reason);
        Assert.Empty((await session.GetLiveAsync(Host)).Tiles);
        Assert.Equal(ResearchSessionRules.StatusLive, (await session.GetLiveAsync(Host)).Status);
    }
}
