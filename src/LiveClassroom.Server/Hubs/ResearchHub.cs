using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Research;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The live teaching-research hub (docs/HUB-RESEARCH.md). Every call re-reads the session and the caller's
/// <see cref="SessionStanding"/> (an invitation withdrawn mid-session takes effect at once), then relays to the
/// session's grain, which owns the rules and emits the <c>LiveChanged</c> events the <see cref="ResearchHubEventSink"/>
/// delivers. Refusals become stable codes in <see cref="HubCallFilter"/>.
/// </summary>
public sealed partial class ResearchHub(
    ResearchAccess access,
    ResearchLiveHost live,
    IRecordingCatalog recordings,
    ResearchConnections connections,
    RoomSubscriptions subscriptions,
    MediaTakeovers takeovers,
    ILogger<ResearchHub> logger) : Hub<IResearchClient>
{
    public const string Path = "/hubs/research";

    public static string GroupName(Guid sessionId) => "research:" + sessionId.ToString();

    public async Task<ResearchJoinView> JoinSession(string sessionId)
    {
        var id = ParseId(sessionId, "sessionId");
        var caller = ResearchCaller.From(Context.User ?? throw ResearchHubErrors.NotJoined());
        var (session, standing) = await access.RequireMemberAsync(caller, id, Context.ConnectionAborted);
        // Into the group before the snapshot is taken: an event racing the join is newer than or equal to the answer.
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupName(id), Context.ConnectionAborted);
        connections.Add(Context.ConnectionId, id.ToString(), new ResearchMember(id, caller, standing));
        try
        {
            await subscriptions.EnsureAsync(new GrainKey(GrainKinds.Research, id.ToString()));
            var snapshot = await live.RunLiveAsync(session, caller,
                (g, c) => g.JoinAsAsync(c, standing.LiveRole, Context.ConnectionId), Context.ConnectionAborted);
            LogJoined(logger, id, standing.LiveRole);
            return new ResearchJoinView(id, caller.PersonId, standing.LiveRole, standing.IsOrganiser, snapshot);
        }
        catch
        {
            connections.Remove(Context.ConnectionId, id.ToString());
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(id));
            throw;
        }
    }

    public async Task LeaveSession(string sessionId)
    {
        var member = Joined(sessionId);
        var key = member.SessionId.ToString();
        connections.Remove(Context.ConnectionId, key);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupName(member.SessionId));
        var grain = live.Grain(member.SessionId);
        var who = ResearchLiveHost.RoomCallerFor(member.Caller);
        if (connections.HasOtherConnection(key, who.PrincipalId, Context.ConnectionId))
        {
            // Another tab stays: only this connection goes, the presence (and its interval) continues.
            await grain.ConnectionLostAsync(who, Context.ConnectionId);
        }
        else
        {
            await grain.LeaveAsync(who);
        }
    }

    public Task<ResearchLiveSnapshot> Resync(string sessionId) =>
        RunAsync(sessionId, hostOnly: false, (g, c) => g.GetLiveAsync(c));

    public Task<ResearchLiveSnapshot> StartSession(string sessionId) =>
        RunAsync(sessionId, hostOnly: true, async (g, c) =>
        {
            await g.StartAsync(c);
            return await g.GetLiveAsync(c);
        });

    public Task<ResearchLiveSnapshot> AdvanceSegment(string sessionId) =>
        RunAsync(sessionId, hostOnly: true, (g, c) => g.AdvanceSegmentAsync(c));

    public Task<ResearchLiveSnapshot> EndSession(string sessionId) =>
        RunAsync(sessionId, hostOnly: true, async (g, c) =>
        {
            await g.EndAsync(c);
            return await g.GetLiveAsync(c);
        });

    public Task<ResearchLiveSnapshot> RequestFloor(string sessionId) =>
        RunAsync(sessionId, hostOnly: false, (g, c) => g.RequestFloorAsync(c));

    public Task<ResearchLiveSnapshot> WithdrawFloor(string sessionId) =>
        RunAsync(sessionId, hostOnly: false, (g, c) => g.WithdrawFloorRequestAsync(c));

    public Task<ResearchLiveSnapshot> GrantFloor(string sessionId, string personId)
    {
        var person = ParseId(personId, "personId");
        return RunAsync(sessionId, hostOnly: true, (g, c) => g.GrantFloorAsync(c, person));
    }

    public Task<ResearchLiveSnapshot> EndTurn(string sessionId) =>
        RunAsync(sessionId, hostOnly: false, (g, c) => g.EndTurnAsync(c));

    public async Task<ResearchLiveSnapshot> SetPlayback(string sessionId, string recordingId, bool playing, double positionSeconds)
    {
        var recording = ParseId(recordingId, "recordingId");
        if (!double.IsFinite(positionSeconds) || positionSeconds < 0)
        {
            throw ResearchHubErrors.Bad("positionSeconds");
        }
        return await RunAsync(sessionId, hostOnly: true, async (g, c) =>
        {
            await recordings.RequireViewableAsync(Context.User!, recording, Context.ConnectionAborted);
            return await g.SetPlaybackAsync(c, recording, playing, positionSeconds);
        });
    }

    public async Task<NegotiateResult> Negotiate(string sessionId, string sdpOffer, MediaDescription? mediaDescription)
    {
        var member = Joined(sessionId);
        if (!MediaDescription.IsPlausibleOffer(sdpOffer))
        {
            throw ResearchHubErrors.Sdp();
        }
        var description = mediaDescription ?? new MediaDescription(null, null);
        if (description.ReceiveSlots is { Count: > ResearchSessionRules.MaxReceiveSlots })
        {
            throw ResearchHubErrors.Bad($"at most {ResearchSessionRules.MaxReceiveSlots} receive slots");
        }
        await RequireStandingAsync(member, hostOnly: false);
        var who = ResearchLiveHost.RoomCallerFor(member.Caller);
        var answer = await live.Grain(member.SessionId).ConnectMediaAsync(
            who, new MediaOffer(sdpOffer, description.ToTracks(), description.ToSlots(), takeovers.Holder(Context.ConnectionId)));
        // A second tab or device of the same person took the media peer over: the one that held it, on whichever node, is
        // told, so it stops instead of fighting back.
        await takeovers.TookOverAsync(MediaRoomKind.Research, member.SessionId.ToString(), who.PrincipalId, Context.ConnectionId, answer.PreviousHolder);
        return new NegotiateResult(answer.SdpAnswer, answer.PeerId, answer.EventSequence);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var (_, member) in connections.RemoveConnection(Context.ConnectionId))
        {
            try
            {
                // The grain keeps the presence, and the person's media peer, for the reconnect grace.
                await live.Grain(member.SessionId).ConnectionLostAsync(ResearchLiveHost.RoomCallerFor(member.Caller), Context.ConnectionId);
            }
            catch (Exception ex) when (ex is GrainUnavailableException or RoomRuleException or Orleans.Runtime.SiloUnavailableException or TimeoutException or ResearchRuleException)
            {
                // The session moved, is unreachable or ended: its owner expires the presence when the grace runs out.
                LogLostNotDelivered(logger, member.SessionId, ex.GetType().Name);
            }
        }
        await base.OnDisconnectedAsync(exception);
    }

    /// <summary>Checks the caller joined on this connection and is still a member (host for <paramref name="hostOnly"/>), then runs the command.</summary>
    private async Task<ResearchLiveSnapshot> RunAsync(
        string sessionId, bool hostOnly, Func<IResearchSessionGrain, RoomCaller, Task<ResearchLiveSnapshot>> command)
    {
        var member = Joined(sessionId);
        var session = await RequireStandingAsync(member, hostOnly);
        return await live.RunLiveAsync(session, member.Caller, command, Context.ConnectionAborted);
    }

    private async Task<ResearchSessionRecord> RequireStandingAsync(ResearchMember member, bool hostOnly)
    {
        var (session, standing) = await access.RequireMemberAsync(member.Caller, member.SessionId, Context.ConnectionAborted);
        if (hostOnly)
        {
            ResearchAccess.RequireHost(standing);
        }
        return session;
    }

    private ResearchMember Joined(string sessionId)
    {
        var id = ParseId(sessionId, "sessionId");
        return connections.Find(Context.ConnectionId, id.ToString()) ?? throw ResearchHubErrors.NotJoined();
    }

    private static Guid ParseId(string? value, string name) =>
        value is { Length: <= 64 } && Guid.TryParse(value, out var id) ? id : throw ResearchHubErrors.Bad(name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined research session {SessionId} as {Role}")]
    private static partial void LogJoined(ILogger logger, Guid sessionId, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not tell research session {SessionId} about a lost connection: {Reason}")]
    private static partial void LogLostNotDelivered(ILogger logger, Guid sessionId, string reason);
}
