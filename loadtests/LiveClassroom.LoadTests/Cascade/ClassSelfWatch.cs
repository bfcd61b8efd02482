using System.Text.Json;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// The part of the page's class snapshot (hub/reduce.ts, hub/ClassConnection.ts) that decides whether it must join
/// again: the class's state, the last event's sequence number and this participant's own connection. Events apply as
/// the page applies them: one already in the snapshot is ignored, one after a gap asks for Resync; a batch
/// (<c>RoomEvents</c>) may step over events of its range not sent to this page. <see cref="Dropped"/> is the page's
/// <c>rejoinIfDropped</c> test: the class is live and counts this participant not connected. While a <c>JoinClass</c>
/// awaits its answer (<see cref="BeginJoin"/> … <see cref="EndJoin"/>) events are held and applied after its snapshot,
/// which drops those it already covers, as the page does (RoomConnection.heldEvents). Thread-safe (the hub's handlers and
/// the join's answer run on different threads).
/// </summary>
internal sealed class ClassSelfWatch
{
    private readonly Lock _gate = new();
    private string? _me;
    private long _sequence = -1;
    private string _state = "";
    private string _connection = "";
    private int _joins;
    private readonly List<(JsonElement Message, bool Batch)> _held = [];

    public enum Outcome
    {
        /// <summary>Applied, or already in the snapshot.</summary>
        Applied,

        /// <summary>Before the first join's answer: nothing to apply to (the page ignores it too).</summary>
        NoSnapshot,

        /// <summary>A sequence gap: the page calls Resync, which answers with a snapshot like the join's.</summary>
        Gap,

        /// <summary>Received while a join awaits its answer: held, applied after its snapshot (<see cref="EndJoin"/>).</summary>
        Held,
    }

    /// <summary>A <c>JoinClass</c> awaits its answer (the media is not offered meanwhile: see CascadeClassroom.CanOffer).</summary>
    public bool Joining
    {
        get
        {
            lock (_gate)
            {
                return _joins > 0;
            }
        }
    }

    /// <summary>Events held since a held event's message was received (all joins).</summary>
    public int HeldEvents { get; private set; }

    /// <summary>The class is live and counts this participant not connected: the page joins again over the same hub connection.</summary>
    public bool Dropped
    {
        get
        {
            lock (_gate)
            {
                return _me is not null && _state == "Live" && _connection != "Connected";
            }
        }
    }

    /// <summary>This participant's connection as the snapshot says ("Connected", "Reconnecting", "Left"; "" if absent).</summary>
    public string Connection
    {
        get
        {
            lock (_gate)
            {
                return _connection;
            }
        }
    }

    /// <summary>A <c>JoinClass</c> is sent: events received until its answer are held (RoomConnection.join).</summary>
    public void BeginJoin()
    {
        lock (_gate)
        {
            _joins++;
        }
    }

    /// <summary>
    /// The <c>JoinClass</c> of <see cref="BeginJoin"/> answered (<paramref name="view"/>) or failed (null): the snapshot starts
    /// over from the answer, then the events held meanwhile apply to it (those it covers are dropped by sequence number).
    /// Returns <see cref="Outcome.Gap"/> if one of them still leaves a gap.
    /// </summary>
    public Outcome EndJoin(JsonElement? view)
    {
        lock (_gate)
        {
            _joins--;
            if (view is { } v)
            {
                Joined(v);
            }
            if (_joins > 0)
            {
                return Outcome.Held;
            }
            // A failed join's held events are in the next join's snapshot (the page starts its connection over).
            var outcome = Outcome.Applied;
            for (var i = 0; view is not null && i < _held.Count; i++)
            {
                if ((_held[i].Batch ? Batch(_held[i].Message) : Event(_held[i].Message)) == Outcome.Gap)
                {
                    outcome = Outcome.Gap;
                }
            }
            _held.Clear();
            return outcome;
        }
    }

    /// <summary>A <c>JoinClass</c> or <c>Resync</c> answer (<c>{ class, you }</c>): the snapshot starts over from it.</summary>
    public void Joined(JsonElement view)
    {
        var snapshot = view.GetProperty("class");
        lock (_gate)
        {
            _me = view.GetProperty("you").GetProperty("participantId").GetString();
            _sequence = snapshot.GetProperty("sequence").GetInt64();
            _state = snapshot.GetProperty("state").GetString() ?? "";
            _connection = "";
            foreach (var p in snapshot.GetProperty("participants").EnumerateArray())
            {
                if (p.GetProperty("principalId").GetString() == _me)
                {
                    _connection = p.GetProperty("connection").GetString() ?? "";
                }
            }
        }
    }

    /// <summary>One <c>RoomEvent</c>.</summary>
    public Outcome Event(JsonElement e)
    {
        lock (_gate)
        {
            if (Hold(e, false))
            {
                return Outcome.Held;
            }
            if (_me is null)
            {
                return Outcome.NoSnapshot;
            }
            var seq = e.GetProperty("seq").GetInt64();
            if (seq <= _sequence)
            {
                return Outcome.Applied;
            }
            if (seq != _sequence + 1)
            {
                return Outcome.Gap;
            }
            Apply(e);
            _sequence = seq;
            return Outcome.Applied;
        }
    }

    /// <summary>One <c>RoomEvents</c> batch (first..last; events of the range not in it were not for this page).</summary>
    public Outcome Batch(JsonElement batch)
    {
        lock (_gate)
        {
            if (Hold(batch, true))
            {
                return Outcome.Held;
            }
            if (_me is null)
            {
                return Outcome.NoSnapshot;
            }
            var last = batch.GetProperty("last").GetInt64();
            if (last <= _sequence)
            {
                return Outcome.Applied;
            }
            if (batch.GetProperty("first").GetInt64() > _sequence + 1)
            {
                return Outcome.Gap;
            }
            foreach (var e in batch.GetProperty("events").EnumerateArray())
            {
                var seq = e.GetProperty("seq").GetInt64();
                if (seq <= _sequence)
                {
                    continue;
                }
                if (seq > last)
                {
                    return Outcome.Gap;
                }
                Apply(e);
                _sequence = seq;
            }
            _sequence = Math.Max(_sequence, last);
            return Outcome.Applied;
        }
    }

    /// <summary>While a join awaits its answer: keeps the message (a copy: the hub's buffer is reused) and returns true.</summary>
    private bool Hold(JsonElement message, bool batch)
    {
        if (_joins == 0)
        {
            return false;
        }
        _held.Add((message.Clone(), batch));
        HeldEvents++;
        return true;
    }

    private void Apply(JsonElement e)
    {
        switch (e.GetProperty("type").GetString())
        {
            case "ClassOpened":
                _state = "Live";
                break;
            case "ClassEnded":
                _state = "Ended";
                break;
            case "ParticipantJoined" or "ConnectionChanged" or "MediaChanged":
                var p = e.GetProperty("payload");
                if (p.TryGetProperty("principalId", out var id) && id.GetString() == _me
                    && p.TryGetProperty("connection", out var connection))
                {
                    _connection = connection.GetString() ?? "";
                }
                break;
        }
    }
}
