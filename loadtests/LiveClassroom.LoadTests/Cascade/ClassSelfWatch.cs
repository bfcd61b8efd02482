using System.Text.Json;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// The part of the page's class snapshot (hub/reduce.ts, hub/ClassConnection.ts) that decides whether it must join
/// again: the class's state, the last event's sequence number and this participant's own connection. Events apply as
/// the page applies them: one already in the snapshot is ignored, one after a gap asks for Resync; a batch
/// (<c>RoomEvents</c>) may step over events of its range not sent to this page. <see cref="Dropped"/> is the page's
/// <c>rejoinIfDropped</c> test: the class is live and counts this participant not connected. Thread-safe (the hub's
/// handlers and the join's answer run on different threads).
/// </summary>
internal sealed class ClassSelfWatch
{
    private readonly Lock _gate = new();
    private string? _me;
    private long _sequence = -1;
    private string _state = "";
    private string _connection = "";

    public enum Outcome
    {
        /// <summary>Applied, or already in the snapshot.</summary>
        Applied,

        /// <summary>Before the first join's answer: nothing to apply to (the page ignores it too).</summary>
        NoSnapshot,

        /// <summary>A sequence gap: the page calls Resync, which answers with a snapshot like the join's.</summary>
        Gap,
    }

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
