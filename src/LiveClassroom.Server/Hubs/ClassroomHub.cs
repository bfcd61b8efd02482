using System.Diagnostics;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hosting;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Operations;
using LiveClassroom.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The live-class hub (docs/HUB.md). It works out who the caller is in the class (role matrix), then relays to
/// the class's grain, which owns every rule and emits the sequenced events the <see cref="ClassEventDispatcher"/>
/// delivers. Grain refusals become stable error codes in <see cref="HubCallFilter"/>.
/// </summary>
public sealed partial class ClassroomHub(
    IGrainFactory grains,
    ClassAccess access,
    ClassConnections connections,
    RoomSubscriptions subscriptions,
    NetworkDashboard dashboard,
    MediaQualityNotifier quality,
    MediaTakeovers takeovers,
    ServerClock time,
    ClassroomHubMetrics metrics,
    ILogger<ClassroomHub> logger) : Hub<IClassroomClient>
{
    public const string Path = "/hubs/classroom";

    /// <summary>Stats reports closer together than this are dropped: each one is persisted and fanned out to the class.</summary>
    public static readonly TimeSpan MinStatsInterval = TimeSpan.FromSeconds(2);

    // ClassroomGrain.ConnectMediaAsync's message when IMediaControl.NegotiateAsync throws FormatException/ArgumentException.
    private const string SdpRefusedByMedia = "The SDP offer was refused";


    public async Task<ClassView> JoinClass(string classId)
    {
        var id = ParseClassId(classId);
        var identity = CallerIdentity.From(Context.User) ?? throw HubErrors.NotAllowed();
        var caller = await access.ResolveClassAsync(identity, id, Context.ConnectionAborted) ?? throw HubErrors.NotAllowed();
        // Into the group before the snapshot is taken: an event racing the join arrives with seq ≤ lastSeq and is skipped.
        // One group per audience (ClassEventAudience): a rural classroom's pages are not sent other classrooms' media.
        await Groups.AddToGroupAsync(Context.ConnectionId, ClassEventAudience.GroupOf(id, caller), Context.ConnectionAborted);
        connections.Add(Context.ConnectionId, id, caller);
        try
        {
            // This node receives the class's events from wherever it runs before the join's snapshot is taken.
            await subscriptions.EnsureAsync(new GrainKey(GrainKinds.Classroom, id));
            var snapshot = await Grain(id).JoinAsync(caller);
            LogJoined(logger, id, caller.Role);
            return ClassView.For(snapshot, caller);
        }
        catch
        {
            connections.Remove(Context.ConnectionId, id);
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, ClassEventAudience.GroupOf(id, caller));
            throw;
        }
    }

    /// <summary>
    /// A classroom device waiting between classes: this connection is told <c>ClassOpened</c> when a class of the
    /// device's classroom opens on this node. Returns the classroom id. Devices only (people have no classroom of their own).
    /// </summary>
    public async Task<string> WatchClassroom()
    {
        var identity = CallerIdentity.From(Context.User) ?? throw HubErrors.NotAllowed();
        if (!identity.IsDevice || identity.ClassroomId is not { } classroomId)
        {
            throw HubErrors.DeviceOnly();
        }
        var id = classroomId.ToString();
        await Groups.AddToGroupAsync(Context.ConnectionId, ClassOpenedNotifier.GroupName(id), Context.ConnectionAborted);
        return id;
    }

    public async Task<ClassView> Resync(string classId)
    {
        var (id, caller) = Joined(classId);
        return ClassView.For(await Grain(id).GetSnapshotAsync(caller), caller);
    }

    public async Task LeaveClass(string classId)
    {
        var (id, caller) = Joined(classId);
        connections.Remove(Context.ConnectionId, id);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, ClassEventAudience.GroupOf(id, caller));
        if (!connections.HasOtherConnection(id, caller.PrincipalId, Context.ConnectionId))
        {
            await Grain(id).LeaveAsync(caller);
        }
    }

    /// <summary>Lead: every connected participant's link as the SFU measures it (console tiles; docs/HUB.md).</summary>
    public async Task<IReadOnlyList<LinkFigures>> GetLinks(string classId)
    {
        var (id, caller) = Joined(classId);
        var links = await Grain(id).GetLinksAsync(caller);
        return [.. links.Select(LinkFigures.From)];
    }

    /// <summary>
    /// An admin whose organisation covers a school of the class (role matrix: <see cref="RoomRole.Admin"/>) watches its
    /// network: this connection gets <c>NetworkFigures</c> every <see cref="NetworkDashboard.Interval"/> until
    /// <see cref="UnwatchNetwork"/> or it closes. Returns the figures now. No need to join the class.
    /// </summary>
    public async Task<NetworkFrame> WatchNetwork(string classId)
    {
        var id = ParseClassId(classId);
        var identity = CallerIdentity.From(Context.User) ?? throw HubErrors.NotAllowed();
        if (identity.IsDevice)
        {
            throw HubErrors.AdminOnly();
        }
        // A rural school's admin watches its own classrooms only; the lead school's and those above see the class.
        var scope = await access.NetworkScopeAsync(identity, id, Context.ConnectionAborted) ?? throw HubErrors.AdminOnly();
        var key = NetworkDashboard.ScopeKey(scope);
        if (dashboard.Remove(Context.ConnectionId, id, out var previous) && previous != key)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, NetworkDashboard.GroupName(id, previous));
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, NetworkDashboard.GroupName(id, key), Context.ConnectionAborted);
        dashboard.Add(Context.ConnectionId, id, key);
        LogWatching(logger, id);
        return NetworkDashboard.Scoped(await dashboard.FrameAsync(id, Context.ConnectionAborted), key);
    }

    /// <summary>
    /// Admins (school, county, city, province): this connection is told <c>LiveClassesChanged</c> whenever a class in
    /// the caller's scope — a class with a classroom of a school at or below one of their admin organisations — opens
    /// or ends, on whichever node it runs. Returns how many organisations it watches.
    /// </summary>
    public async Task<int> WatchLiveClasses()
    {
        var identity = CallerIdentity.From(Context.User) ?? throw HubErrors.NotAllowed();
        var organisations = identity.IsDevice
            ? []
            : identity.Roles.Where(r => ClassRoleResolver.AdminRoles.Contains(r.Role)).Select(r => r.OrganisationId).Distinct().ToList();
        if (organisations.Count == 0)
        {
            throw HubErrors.LiveClassesAdminOnly();
        }
        foreach (var organisation in organisations)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, ClassChangeBroadcast.LiveGroupName(organisation), Context.ConnectionAborted);
        }
        return organisations.Count;
    }

    /// <summary>Stops <see cref="WatchNetwork"/> for this connection; refused when it was not watching the class.</summary>
    public async Task UnwatchNetwork(string classId)
    {
        var id = ParseClassId(classId);
        _ = CallerIdentity.From(Context.User) ?? throw HubErrors.NotAllowed();
        if (!dashboard.Remove(Context.ConnectionId, id, out var scope))
        {
            throw HubErrors.NotWatching();
        }
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, NetworkDashboard.GroupName(id, scope));
    }

    public async Task OpenClass(string classId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).OpenAsync(caller);
    }

    public async Task EndClass(string classId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).EndAsync(caller);
    }

    public async Task RaiseHand(string classId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).RaiseHandAsync(caller);
    }

    /// <summary>
    /// <see cref="RaiseHand"/> done once per <paramref name="actionKey"/> (made by the client per user action and reused
    /// on its retries): a retry after a lost answer or a failover changes nothing.
    /// </summary>
    public async Task RaiseHandOnce(string classId, string actionKey)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).RaiseHandOnceAsync(caller, actionKey ?? throw HubErrors.BadInput("actionKey"));
    }

    public async Task LowerHand(string classId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).LowerHandAsync(caller);
    }

    public async Task DismissHand(string classId, string classroomId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).DismissHandAsync(caller, RequireId(classroomId, "classroomId"));
    }

    public async Task BringOnStage(string classId, string classroomId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).BringOnStageAsync(caller, RequireId(classroomId, "classroomId"));
    }

    public async Task TakeOffStage(string classId, string classroomId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).TakeOffStageAsync(caller, RequireId(classroomId, "classroomId"));
    }

    public async Task MuteClassroom(string classId, string classroomId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).SetClassroomMutedAsync(caller, RequireId(classroomId, "classroomId"), true);
    }

    public async Task UnmuteClassroom(string classId, string classroomId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).SetClassroomMutedAsync(caller, RequireId(classroomId, "classroomId"), false);
    }

    public async Task<ChatMessage> SendChat(string classId, string text, bool isQuestion)
    {
        var (id, caller) = Joined(classId);
        // Length and content rules are the grain's; null is the only thing it cannot be handed.
        return await Grain(id).PostChatAsync(caller, text ?? throw HubErrors.BadInput("text"), isQuestion);
    }

    /// <summary>
    /// <see cref="SendChat"/> done once per <paramref name="actionKey"/>: a retry returns the message first stored
    /// (same id) instead of storing it twice. Old clients keep <see cref="SendChat"/>.
    /// </summary>
    public async Task<ChatMessage> SendChatOnce(string classId, string text, bool isQuestion, string actionKey)
    {
        var (id, caller) = Joined(classId);
        return await Grain(id).PostChatOnceAsync(
            caller, text ?? throw HubErrors.BadInput("text"), isQuestion, actionKey ?? throw HubErrors.BadInput("actionKey"));
    }

    public async Task PinMessage(string classId, string messageId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).PinMessageAsync(caller, RequireText(messageId, "messageId"), true);
    }

    public async Task UnpinMessage(string classId, string messageId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).PinMessageAsync(caller, RequireText(messageId, "messageId"), false);
    }

    public async Task DismissMessage(string classId, string messageId)
    {
        var (id, caller) = Joined(classId);
        await Grain(id).DismissMessageAsync(caller, RequireText(messageId, "messageId"));
    }

    public async Task<NegotiateResult> Negotiate(string classId, string sdpOffer, MediaDescription? mediaDescription)
    {
        var started = Stopwatch.GetTimestamp();
        var (id, caller) = Joined(classId);
        // The media plane parses the offer; the grain reports its refusal as plain invalid input, so what is not
        // even shaped like SDP is caught here to give the caller the precise code.
        if (!MediaDescription.IsPlausibleOffer(sdpOffer))
        {
            throw HubErrors.BadSdp();
        }
        var description = mediaDescription ?? new MediaDescription(null, null);
        if (description.ReceiveSlots is { Count: > MediaDescription.MaxReceiveSlots })
        {
            throw HubErrors.BadInput($"at most {MediaDescription.MaxReceiveSlots} receive slots");
        }
        try
        {
            var calling = Stopwatch.GetTimestamp();
            var answer = await Grain(id).ConnectMediaAsync(caller,
                new MediaOffer(sdpOffer, description.ToTracks(), description.ToSlots(), takeovers.Holder(Context.ConnectionId)));
            metrics.Negotiated("grain", calling);
            // This connection now holds the peer; the one the grain says held it before is told, here or on its node.
            await takeovers.TookOverAsync(MediaRoomKind.Class, id, caller.PrincipalId, Context.ConnectionId, answer.PreviousHolder);
            // Its notices now come to this node from wherever the peer's media is, and a page that rejoined the hub on its
            // surviving peer connection hears what the SFU last said of its downlink, e.g. that its video is paused
            // (audio-first), told to the old connection. A fresh peer (a reload) has said nothing yet: nothing is repeated.
            // Not awaited: on another node the claim is a grain call of its own, and the answer does not need it
            // (docs/CASCADE.md, "Media quality notices": why the claim landing after the answer loses nothing).
            _ = quality.ClaimAsync(id, caller.PrincipalId, answer.MediaNode, answer.HolderSequence);
            metrics.Negotiated("hub", started);
            return new NegotiateResult(answer.SdpAnswer, answer.PeerId, answer.EventSequence);
        }
        catch (RoomRuleException ex) when (ex.Code == RoomErrorCode.InvalidInput && ex.Message.StartsWith(SdpRefusedByMedia, StringComparison.Ordinal))
        {
            // The grain reports the media plane's parse failure as plain invalid input; callers need to tell it apart.
            throw HubErrors.BadSdp();
        }
    }

    public async Task ReportConnectionStats(string classId, ConnectionStatsReport stats)
    {
        var (id, caller) = Joined(classId);
        if (stats is null || !stats.IsPlausible())
        {
            throw HubErrors.BadInput("stats out of range");
        }
        var now = time.GetUtcNow();
        var key = "stats:" + id;
        if (Context.Items.TryGetValue(key, out var last) && last is DateTimeOffset at && now - at < MinStatsInterval)
        {
            return;
        }
        Context.Items[key] = now;
        await Grain(id).ReportStatsAsync(
        [
            new ParticipantStats(caller.PrincipalId, stats.RoundTripTimeMs, stats.PacketLoss,
                stats.InboundBitrateBps, stats.OutboundBitrateBps, stats.Quality ?? "unknown",
                stats.JitterMs, stats.FrameWidth, stats.FrameHeight, stats.FramesPerSecond),
        ]);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        dashboard.RemoveConnection(Context.ConnectionId);
        foreach (var (classId, caller) in connections.RemoveConnection(Context.ConnectionId))
        {
            if (connections.HasOtherConnection(classId, caller.PrincipalId, Context.ConnectionId))
            {
                continue;
            }
            try
            {
                await Grain(classId).ConnectionLostAsync(caller.PrincipalId);
            }
            catch (Exception ex) when (ex is GrainUnavailableException or RoomRuleException or Orleans.Runtime.SiloUnavailableException or TimeoutException)
            {
                // The room moved or is unreachable: its new owner marks the participant lost when its lease lapses.
                LogLostNotDelivered(logger, classId, ex.GetType().Name);
            }
        }
        await base.OnDisconnectedAsync(exception);
    }

    private IClassroomGrain Grain(string classId) => grains.GetGrain<IClassroomGrain>(classId);

    private (string ClassId, RoomCaller Caller) Joined(string classId)
    {
        var id = ParseClassId(classId);
        return (id, connections.Find(Context.ConnectionId, id) ?? throw HubErrors.MustJoin());
    }

    // Class ids are "{pairingId}.{lessonId}"; anything outside this alphabet cannot name a class.
    private static string ParseClassId(string? classId) =>
        classId is { Length: > 0 and <= 100 } && classId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
            ? classId
            : throw HubErrors.UnknownClass();

    private static string RequireId(string? value, string name) =>
        Guid.TryParse(value, out var g) ? g.ToString() : throw HubErrors.BadInput(name);

    private static string RequireText(string? value, string name) =>
        string.IsNullOrWhiteSpace(value) || value.Length > 100 ? throw HubErrors.BadInput(name) : value;

    [LoggerMessage(Level = LogLevel.Information, Message = "An admin watches the network of class {ClassId}")]
    private static partial void LogWatching(ILogger logger, string classId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Joined class {ClassId} as {Role}")]
    private static partial void LogJoined(ILogger logger, string classId, RoomRole role);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not tell class {ClassId} about a lost connection: {Reason}")]
    private static partial void LogLostNotDelivered(ILogger logger, string classId, string reason);
}
