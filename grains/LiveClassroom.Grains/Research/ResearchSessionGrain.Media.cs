using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Rooms;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Research;

/// <summary>
/// Media: one SFU room per session (<c>research-{id:N}</c>). After every change the rules' view of host, speaker
/// and tiles is turned into routes (<see cref="MediaRoutes"/> sends only the slots a change moves). Peers whose person
/// left, or did not come back within the reconnect grace, are removed from the room.
/// </summary>
internal sealed partial class ResearchSessionGrain
{
    private readonly MediaRoutes _routes = new();
    private readonly MediaHolders _holders = new();

    /// <summary>The SFU room of this session: session ids are Guids; other keys (tests) are used as they are.</summary>
    internal string MediaRoomId => Guid.TryParse(Key.Id, out var id) ? $"research-{id:N}" : "research-" + Key.Id;

    // While people hold media peers the sweep timer must keep running (turn deadlines switch the speaker slots).
    internal override bool KeepAlive => State.Status == ResearchSessionState.Live && State.Live?.Present.Exists(p => p.PeerId is not null) == true;

    public async Task<MediaAnswer> ConnectMediaAsync(RoomCaller caller, MediaOffer offer)
    {
        Check(caller);
        var person = PersonId(caller);
        var rules = Rules();
        var before = rules.Peers();
        var peerId = person.ToString();
        // The session's events as of this negotiation (MediaAnswer.EventSequence; a session's media never moves nodes).
        var asOf = State.Sequence;
        string answer;
        try
        {
            rules.CheckMedia(person, offer);
            answer = await NegotiateAsync(peerId, offer.SdpOffer, offer.Publish);
            rules.AttachMedia(person, peerId, offer);
        }
        catch (ResearchRuleException)
        {
            EmitLive(rules, always: false);
            await CommitAsync();
            await SyncMediaAsync(rules, before);
            throw;
        }
        EmitLive(rules);
        await CommitAsync();
        _routes.Forget(peerId);
        await SyncMediaAsync(rules, before);
        // The media is on this grain's node (no MediaNode: quality notices are not carried); who held the peer before is.
        return new MediaAnswer(answer, peerId, PreviousHolder: _holders.Take(peerId, offer.Holder), EventSequence: asOf);
    }

    private async Task<string> NegotiateAsync(string peerId, string sdpOffer, PublishedTracks publish)
    {
        try
        {
            return await Services.Media.NegotiateAsync(MediaRoomId, peerId, sdpOffer, publish);
        }
        catch (MediaOfferRefusedException ex)
        {
            throw new ResearchRuleException(ResearchRuleKind.Invalid, "media_limit", $"The media offer exceeds a limit: {ex.Message}", "音视频协商超出服务器限制（媒体段过多）。");
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new ResearchRuleException(ResearchRuleKind.Invalid, "bad_sdp", $"The SDP offer was refused: {ex.Message}", "无法解析 SDP 媒体协商信息。");
        }
        catch (Exception ex) when (ex is not (ResearchRuleException or MediaRefusedException or OperationCanceledException))
        {
            throw new GrainUnavailableException($"The media server could not take the offer: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Removes the peers that are gone since <paramref name="before"/>, then points every connected subscriber's
    /// slots at their sources, sending only the routes that change. An ended session closes its SFU room.
    /// </summary>
    private async Task SyncMediaAsync(ResearchSessionRules? rules, IReadOnlyDictionary<Guid, string> before)
    {
        if (rules is null)
        {
            return;
        }
        var after = rules.Peers();
        foreach (var (person, peer) in before)
        {
            if (!after.ContainsKey(person))
            {
                _routes.Forget(peer);
                _holders.Forget(peer);
                await TryMediaAsync("remove peer", m => m.RemovePeerAsync(MediaRoomId, peer));
            }
        }
        if (rules.Status == ResearchSessionRules.StatusEnded)
        {
            if (before.Count > 0 || _routes.Count > 0)
            {
                _routes.Clear();
                await TryMediaAsync("close room", m => m.CloseRoomAsync(MediaRoomId));
            }
            return;
        }
        var tiles = rules.Tiles();
        foreach (var (subscriber, slots) in rules.Subscribers().ToList())
        {
            foreach (var slot in slots)
            {
                await _routes.SetAsync(subscriber, slot.Mid, rules.SourceFor(slot.Name, tiles),
                    source => TryMediaAsync("route", m => m.RouteAsync(MediaRoomId, subscriber, slot.Mid, source)));
            }
        }
    }
}
