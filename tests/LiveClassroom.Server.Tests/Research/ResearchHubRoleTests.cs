using System.Text.Json.Nodes;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Tests.Hubs;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>Who may do what over /hubs/research: every method checks the caller's standing in that session.</summary>
public sealed class ResearchHubRoleTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    [Fact]
    public async Task JoinSession_Members_AnswerTheirRoleAndSnapshot()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server, start: false);

        Assert.Equal("host", (string?)s.HostJoin["myRole"]);
        Assert.True((bool)s.HostJoin["canOrganise"]!);
        Assert.Equal("participant", (string?)s.TeacherJoin["myRole"]);
        Assert.False((bool)s.TeacherJoin["canOrganise"]!);
        Assert.Equal("observer", (string?)s.ObserverJoin["myRole"]);
        Assert.Equal(s.Session.TeacherId.ToString(), (string?)s.TeacherJoin["personId"]);
        Assert.Equal(s.Id, (string?)s.TeacherJoin["sessionId"]);
        Assert.Equal("scheduled", (string?)s.TeacherJoin["snapshot"]!["status"]);
        Assert.NotNull(s.TeacherJoin["snapshot"]!["tiles"] as JsonArray);
    }

    [Fact]
    public async Task JoinSession_NonMember_RefusedNotAMember()
    {
        var session = await ResearchSessionScenario.CreateAsync(server);
        var (outsider, _) = await server.HubAsync("assistant3");
        await using (outsider)
        {
            Assert.Equal("not_a_member", await ResearchHubScenario.ErrorCodeAsync(() => outsider.InvokeAsync("JoinSession", session.SessionId.ToString())));
            Assert.Equal("must_join", await ResearchHubScenario.ErrorCodeAsync(() => outsider.InvokeAsync("Resync", session.SessionId.ToString())));
        }
    }

    [Fact]
    public async Task DeviceToken_JoinRefusedNotAPersonThenUnauthorizedOnceRevoked()
    {
        var session = await ResearchSessionScenario.CreateAsync(server);
        var tokenId = Guid.NewGuid();
        var token = server.App.Services.GetRequiredService<TokenService>().Issue(
        [
            new(LcClaims.Subject, Guid.CreateVersion7().ToString()),
            new(LcClaims.Name, "教室终端"),
            new(LcClaims.Kind, LcClaims.KindDevice),
            new(LcClaims.TokenId, tokenId.ToString()),
        ], TimeSpan.FromHours(1));
        await using var device = await server.HubWithTokenAsync(token);

        var first = await ResearchHubScenario.ErrorCodeAsync(() => device.InvokeAsync("JoinSession", session.SessionId.ToString()));
        server.App.Services.GetRequiredService<PrincipalRevocations>().RevokeDeviceToken(tokenId);
        var second = await ResearchHubScenario.ErrorCodeAsync(() => device.InvokeAsync("JoinSession", session.SessionId.ToString()));

        Assert.Equal("not_a_person", first);
        Assert.Equal("unauthorized", second);
    }

    [Fact]
    public async Task HostOnlyMethods_ByParticipant_RefusedNotHostAndNothingChanges()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);

        Assert.Equal("not_host", await ResearchHubScenario.ErrorCodeAsync(() => s.Teacher.InvokeAsync("AdvanceSegment", s.Id)));
        Assert.Equal("not_host", await ResearchHubScenario.ErrorCodeAsync(() => s.Teacher.InvokeAsync("GrantFloor", s.Id, s.Session.TeacherId.ToString())));
        Assert.Equal("not_host", await ResearchHubScenario.ErrorCodeAsync(() => s.Teacher.InvokeAsync("EndSession", s.Id)));
        Assert.Equal("not_host", await ResearchHubScenario.ErrorCodeAsync(() => s.Observer.InvokeAsync("StartSession", s.Id)));
        Assert.Equal("not_host", await ResearchHubScenario.ErrorCodeAsync(() =>
            s.Teacher.InvokeAsync("SetPlayback", s.Id, s.Session.RecordingId.ToString(), true, 0.0)));

        var snapshot = (await s.Host.InvokeAsync("Resync", s.Id))!;
        Assert.Equal("live", (string?)snapshot["status"]);
        Assert.Equal(0, (int)snapshot["currentSegment"]!["index"]!);
        Assert.Null(snapshot["playback"]);
    }

    [Fact]
    public async Task RequestFloor_ObserverRefusedParticipantQueued()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);

        var observerCode = await ResearchHubScenario.ErrorCodeAsync(() => s.Observer.InvokeAsync("RequestFloor", s.Id));
        var queued = (await s.Teacher.InvokeAsync("RequestFloor", s.Id))!;

        Assert.Equal("observer_cannot_speak", observerCode);
        Assert.Equal([s.Session.TeacherId.ToString()], queued["speakerQueue"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task FloorCycle_HostGrantsParticipantEndsOwnTurn()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);
        await s.Teacher.InvokeAsync("RequestFloor", s.Id);

        var granted = (await s.Host.InvokeAsync("GrantFloor", s.Id, s.Session.TeacherId.ToString()))!;
        var ended = (await s.Teacher.InvokeAsync("EndTurn", s.Id))!;

        Assert.Equal(s.Session.TeacherId.ToString(), (string?)granted["speaker"]!["personId"]);
        Assert.Null(ended["speaker"]);
        Assert.Equal("no_speaker", await ResearchHubScenario.ErrorCodeAsync(() => s.Observer.InvokeAsync("EndTurn", s.Id)));
    }

    [Fact]
    public async Task SetPlayback_KnownAndUnknownRecording_SharedOrRefusedRecordingNotFound()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);

        var unknown = await ResearchHubScenario.ErrorCodeAsync(() => s.Host.InvokeAsync("SetPlayback", s.Id, Guid.NewGuid().ToString(), true, 0.0));
        var shared = (await s.Host.InvokeAsync("SetPlayback", s.Id, s.Session.RecordingId.ToString(), true, 12.5))!;

        Assert.Equal("recording_not_found", unknown);
        Assert.Equal(s.Session.RecordingId.ToString(), (string?)shared["playback"]!["recordingId"]);
        Assert.Equal(12.5, (double)shared["playback"]!["positionSeconds"]!);
    }

    [Fact]
    public async Task StartAndEnd_ByHost_StoredStatusFollows()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);

        var ended = (await s.Host.InvokeAsync("EndSession", s.Id))!;
        var stored = (await Api.GetAsync(s.Session.Researcher, s.Session.Url)).Expect(System.Net.HttpStatusCode.OK);

        Assert.Equal("ended", (string?)ended["status"]);
        Assert.Equal("ended", stored.GetProperty("status").GetString());
        Assert.Equal("session_ended", await ResearchHubScenario.ErrorCodeAsync(() => s.Teacher.InvokeAsync("RequestFloor", s.Id)));
    }

    [Fact]
    public async Task Negotiate_ObserverPublishing_ForbiddenParticipantAnswered()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);
        var publish = new
        {
            publish = new { camera = "0", microphone = "1" },
            receiveSlots = new[] { new { name = "host", mid = "2" } },
        };

        var observer = await ResearchHubScenario.ErrorCodeAsync(() => s.Observer.InvokeAsync("Negotiate", s.Id, TestClasses.ValidOffer, publish));
        var answer = (await s.Teacher.InvokeAsync("Negotiate", s.Id, TestClasses.ValidOffer, publish))!;

        Assert.Equal("forbidden", observer);
        Assert.Equal(s.Session.TeacherId.ToString(), (string?)answer["peerId"]);
        Assert.StartsWith("v=0", (string?)answer["sdpAnswer"]);
        Assert.Contains($"negotiate research-{s.Session.SessionId:N} {s.Session.TeacherId}", server.Media.Calls);
        Assert.DoesNotContain(server.Media.Calls, c => c.Contains(s.Session.ObserverId.ToString(), StringComparison.Ordinal));
        var live = await s.ResyncUntilAsync(s.Host, n => n["tiles"]!.AsArray().Count == 1, "the participant's tile");
        Assert.Equal(s.Session.TeacherId.ToString(), (string?)live["tiles"]![0]);
    }
}
