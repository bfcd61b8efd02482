using System.Globalization;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Research;

/// <summary>
/// Media: who publishes, who is tiled, and which track feeds each receive slot. The grain turns this into SFU
/// routes; keeping it here lets the rules' own notion of "speaker" and "present" decide it without a second copy.
/// </summary>
public sealed partial class ResearchSessionRules
{
    public const int MaxTiles = 12;
    public const int MaxReceiveSlots = 16;

    /// <summary>
    /// A present, connected person's offer: remembers its mids and slots under <paramref name="peerId"/>.
    /// Observers never publish; slot names are <c>host</c>, <c>host-audio</c>, <c>speaker</c>, <c>speaker-audio</c>, <c>tile1…12</c>.
    /// </summary>
    public void AttachMedia(Guid personId, string peerId, MediaOffer offer)
    {
        var p = CheckMedia(personId, offer);
        p.PeerId = peerId;
        p.Publish = offer.Publish;
        p.Slots = [.. offer.ReceiveSlots];
    }

    /// <summary>Refuses an offer <see cref="AttachMedia"/> would refuse, changing nothing (checked before the SFU sees it).</summary>
    public ResearchPresence CheckMedia(Guid personId, MediaOffer offer)
    {
        Touch();
        if (Status == StatusEnded)
        {
            throw Conflict("session_ended", "The session has ended.", "教研活动已结束。");
        }
        if (Find(personId) is not { Connections.Count: > 0 } p)
        {
            throw Conflict("not_joined", "Join the session before connecting media.", "请先加入教研活动再连接音视频。");
        }
        ValidateOffer(offer, p.Role);
        return p;
    }

    /// <summary>Present, connected participants (not the host, not observers) with a camera, in join order, at most <see cref="MaxTiles"/>.</summary>
    public IReadOnlyList<Guid> Tiles() =>
        [.. _s.Present
            .Where(p => p.Role == ResearchRoles.Participant && p.PersonId != HostId && p.Connections.Count > 0
                && p.PeerId is not null && p.Publish?.CameraMid is not null)
            .OrderBy(p => p.JoinedAt)
            .Take(MaxTiles)
            .Select(p => p.PersonId)];

    /// <summary>Peers currently in the SFU room, by person.</summary>
    public IReadOnlyDictionary<Guid, string> Peers() =>
        _s.Present.Where(p => p.PeerId is not null).ToDictionary(p => p.PersonId, p => p.PeerId!);

    /// <summary>Connected people with a media peer, with their receive slots.</summary>
    public IEnumerable<(string PeerId, IReadOnlyList<ReceiveSlot> Slots)> Subscribers() =>
        _s.Present.Where(p => p.PeerId is not null && p.Connections.Count > 0).Select(p => (p.PeerId!, (IReadOnlyList<ReceiveSlot>)p.Slots));

    /// <summary>The track a slot shows now (null: nothing), given <paramref name="tiles"/> from <see cref="Tiles"/>.</summary>
    public MediaSource? SourceFor(string slotName, IReadOnlyList<Guid> tiles)
    {
        var (person, audio) = slotName switch
        {
            "host" => (HostId, false),
            "host-audio" => (HostId, true),
            "speaker" => (_s.SpeakerId ?? Guid.Empty, false),
            "speaker-audio" => (_s.SpeakerId ?? Guid.Empty, true),
            _ => TileNumber(slotName) is { } n && n <= tiles.Count ? (tiles[n - 1], false) : (Guid.Empty, false),
        };
        if (person == Guid.Empty || Find(person) is not { PeerId: { } peer, Connections.Count: > 0, Publish: { } publish })
        {
            return null;
        }
        var mid = audio ? publish.MicrophoneMid : publish.CameraMid;
        return mid is null ? null : new MediaSource(peer, mid);
    }

    private static void ValidateOffer(MediaOffer? offer, string role)
    {
        if (offer is null || string.IsNullOrWhiteSpace(offer.SdpOffer) || offer.Publish is null || offer.ReceiveSlots is null)
        {
            throw Invalid("bad_input", "A media offer needs an SDP offer, its publish mids and its receive slots.", "音视频协商需要 SDP、发布轨道和接收槽位。");
        }
        var publish = offer.Publish;
        if (role == ResearchRoles.Observer && (publish.CameraMid ?? publish.MicrophoneMid ?? publish.ScreenMid) is not null)
        {
            throw new ResearchRuleException(ResearchRuleKind.Forbidden, "forbidden", "Observers watch without being seen: they publish nothing.", "观摩者仅旁听，不能发布音视频。");
        }
        if (publish.ScreenMid is not null)
        {
            throw Invalid("bad_input", "Research sessions carry no screen share.", "教研活动不支持屏幕共享。");
        }
        if (offer.ReceiveSlots.Count > MaxReceiveSlots)
        {
            throw Invalid("bad_input", $"At most {MaxReceiveSlots} receive slots.", $"最多 {MaxReceiveSlots} 个接收槽位。");
        }
        var mids = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mid in new[] { publish.CameraMid, publish.MicrophoneMid }.OfType<string>())
        {
            if (mid.Length is 0 or > 32 || !mids.Add(mid))
            {
                throw Invalid("bad_input", "Each mid must be 1 to 32 characters and used once.", "每个 mid 须为 1–32 个字符且不能重复。");
            }
        }
        foreach (var slot in offer.ReceiveSlots)
        {
            if (slot is null || string.IsNullOrEmpty(slot.Mid) || slot.Mid.Length > 32 || !mids.Add(slot.Mid))
            {
                throw Invalid("bad_input", "Each mid must be 1 to 32 characters and used once.", "每个 mid 须为 1–32 个字符且不能重复。");
            }
            if (!IsKnownSlot(slot.Name) || !names.Add(slot.Name))
            {
                throw Invalid("bad_input", $"Unknown or repeated receive slot '{slot.Name}'.", $"未知或重复的接收槽位“{slot.Name}”。");
            }
        }
    }

    private static bool IsKnownSlot(string? name) =>
        name is "host" or "host-audio" or "speaker" or "speaker-audio" || TileNumber(name) is not null;

    /// <summary>Parses <c>tile{n}</c>, 1 ≤ n ≤ <see cref="MaxTiles"/>.</summary>
    private static int? TileNumber(string? name) =>
        name is { Length: > 4 } && name.StartsWith("tile", StringComparison.Ordinal)
            && int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxTiles
            ? n
            : null;
}
