using LiveClassroom.Grains;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// One class's events as this node has dispatched them, so a rural classroom's pages are sent nothing for a write that
/// holds nothing for them, yet still see a gap when one exists (docs/HUB.md, "What a rural classroom's page is sent").
/// </summary>
/// <remarks>
/// A batch sent to classroom <c>c</c>'s audience says, by its <c>first</c>, that every event from <c>first</c> to
/// <c>last</c> it does not list was not for <c>c</c>. <see cref="FirstFor"/> is the sequence number after the last event
/// dispatched here that <em>was</em> for <c>c</c> (one for everyone, or one owned by <c>c</c>): that event went to the
/// group, so a page with a lower sequence number missed it and gets <c>first</c> past its sequence — a gap, and it
/// resyncs. A gap in this node's own feed (the grain dropped the node for a while) counts as an event for everyone.
/// The hub puts a connection into its group before its snapshot is taken, so whatever was dispatched before a page
/// joined is in its snapshot. Not thread-safe: a class's sends run one at a time (<see cref="OrderedGroupDelivery"/>).
/// </remarks>
public sealed class ClassAudienceCursor
{
    private readonly Dictionary<string, long> _lastOwned = new(StringComparer.Ordinal);
    private long _lastDispatched;
    private long _lastForEveryone;

    /// <summary>Call with each dispatched list, in order, before <see cref="FirstFor"/> and <see cref="Dispatched"/>.</summary>
    public void Begin(IReadOnlyList<RoomEventMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_lastDispatched != 0 && messages[0].Seq > _lastDispatched + 1)
        {
            // This node never saw the events in between: nobody here may be told they were not for them.
            _lastForEveryone = Math.Max(_lastForEveryone, messages[0].Seq - 1);
        }
    }

    /// <summary>The <c>first</c> of the batch for classroom <paramref name="classroomId"/>'s audience (before this list is recorded).</summary>
    public long FirstFor(string classroomId) =>
        Math.Max(_lastForEveryone, _lastOwned.GetValueOrDefault(classroomId)) + 1;

    /// <summary>Records the list as sent: call after the audiences' batches were built.</summary>
    public void Dispatched(IReadOnlyList<RoomEventMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var e in messages)
        {
            if (ClassEventAudience.OwnerOf(e) is { } owner)
            {
                _lastOwned[owner] = Math.Max(_lastOwned.GetValueOrDefault(owner), e.Seq);
            }
            else
            {
                _lastForEveryone = Math.Max(_lastForEveryone, e.Seq);
            }
            _lastDispatched = Math.Max(_lastDispatched, e.Seq);
        }
    }
}
