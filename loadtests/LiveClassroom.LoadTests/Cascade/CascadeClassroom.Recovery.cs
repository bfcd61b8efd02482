using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// How the classroom gets its media back, as the page does (src/LiveClassroom.Web: hub/ClassConnection.ts,
/// hub/RoomConnection.ts, live/LiveClass.ts, media/MediaSession.ts):
/// <list type="bullet">
/// <item>dropped — an event or a Resync shows the live class counting it not connected (ClassConnection.rejoinIfDropped;
/// a fresh activation of the class grain marks every participant reconnecting), or the hub connection came back
/// (RoomConnection.onreconnected): <c>JoinClass</c> again on the same hub connection, then renegotiate (onJoined →
/// connectMedia). The page tries an ICE restart on its peer connection first and builds a fresh one when another node
/// answers; the synthetic peer has no ICE restart, so it always makes a fresh peer;</item>
/// <item>a sequence gap: <c>Resync</c>, whose snapshot is tested the same way;</item>
/// <item><c>MediaNodeLost</c> naming it (MediaSession.reconnect), or 5.5 s without a packet or a consent answer (ICE
/// "disconnected" and the page's 3 s grace): a fresh peer; but only
/// while the hub can carry the offer (connected, joined, no join awaiting its answer: <see cref="CanOffer"/>); otherwise
/// it is held and the hub's rejoin renegotiates once (MediaSession.canSignal);</item>
/// <item>a <c>MediaNodeLost</c> numbered at or below the event sequence of the answer its current peer was made from
/// (the grain placed that peer knowing of the loss: the silence fallback got there first) is ignored, whether it comes
/// after that answer or while that negotiation is in flight (MediaSession.reconnect, media/nodeLoss.ts; issue #17);</item>
/// <item>an offer refused (<c>not_joined</c>, <c>unavailable</c>, …) or timed out: once more at once, then again after
/// 1 s, 2 s, 4 s, 8 s, then every 10 s (MediaSession.negotiate); a newer request (the rejoin) cuts the wait short, as the
/// page's new negotiate() clears its retry timer. Negotiations run one at a time; one asked for meanwhile runs after.
/// A refused offer alone does not make the page join again: only its snapshot does.</item>
/// </list>
/// </summary>
internal sealed partial class CascadeClassroom
{
    private readonly ClassSelfWatch _self = new();
    private bool _replacing;
    private int _wanted;
    private int _wantedOtherThanLoss;

    /// <summary>The event sequence of the latest answer (-1: none, or a server that does not send it); see <see cref="NodeLost"/>.</summary>
    private long _answeredSequence = -1;

    /// <summary>The newest MediaNodeLost naming this classroom not yet answered after (null: none).</summary>
    private long? _pendingLoss;

    /// <summary>MediaNodeLost events naming this classroom that it ignored: its peer was answered after them.</summary>
    public int StaleLosses { get; private set; }

    /// <summary>The Negotiate answer's <c>eventSequence</c> (docs/HUB.md), as MediaSession keeps it for its peer.</summary>
    private void AnsweredSequence(JsonElement result)
    {
        lock (_gate)
        {
            _answeredSequence = result.TryGetProperty("eventSequence", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : -1;
        }
    }

    /// <summary>A MediaNodeLost naming this classroom: true when it concerns the current peer (numbered above its answer).</summary>
    private bool NodeLost(long sequence)
    {
        lock (_gate)
        {
            if (sequence <= _answeredSequence)
            {
                StaleLosses++;
                return false;
            }
            _pendingLoss = Math.Max(_pendingLoss ?? sequence, sequence);
            return true;
        }
    }

    /// <summary>Under the gate: a loss still waits for a peer answered after it (one in flight when it came may have been).</summary>
    private bool LossPending()
    {
        if (_pendingLoss is { } loss && loss <= _answeredSequence)
        {
            _pendingLoss = null;
        }
        return _pendingLoss is not null;
    }
    private long _replaceRequestedAt;
    private CancellationTokenSource? _wait;
    private int _rejoining;

    /// <summary>JoinClass calls made again since the first join (dropped, hub reconnect).</summary>
    public int Rejoins { get; private set; }

    /// <summary>When this classroom last saw the class count it dropped (Stopwatch ticks; 0: never).</summary>
    public long DroppedAt { get; private set; }

    /// <summary>When the last rejoin's JoinClass was answered (Stopwatch ticks; 0: never).</summary>
    public long RejoinedAt { get; private set; }

    /// <summary>Resync calls after a sequence gap.</summary>
    public int Resyncs { get; private set; }

    /// <summary>True while a replacement is wanted and its peer has not been installed yet.</summary>
    public bool Replacing
    {
        get
        {
            lock (_gate)
            {
                return _replacing;
            }
        }
    }

    /// <summary>Before a measured kill: the next replacement's reason and video are this one's.</summary>
    public void ResetRecovery()
    {
        lock (_gate)
        {
            _lostEmittedAt = null;
            ReplacedBecause = null;
            VideoBackAt = 0;
            NodeLostEventAt = 0;
            DroppedAt = 0;
        }
    }

    /// <summary>What the page does with an event or batch it applied, or could not apply.</summary>
    private void Follow(ClassSelfWatch.Outcome outcome)
    {
        if (outcome == ClassSelfWatch.Outcome.Gap)
        {
            _ = ResyncAsync();
        }
        else if (outcome == ClassSelfWatch.Outcome.Applied)
        {
            RejoinIfDropped();
        }
    }

    private async Task ResyncAsync()
    {
        try
        {
            Resyncs++;
            _self.Joined(Snapshot(await _hub!.InvokeCoreAsync<JsonElement>("Resync", [_classId])));
            RejoinIfDropped();
        }
        catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            // The page ignores a failed Resync: the reconnect path joins again and brings a fresh snapshot anyway.
            LastError = ex;
        }
    }

    private void RejoinIfDropped()
    {
        if (_self.Dropped && !_stopped)
        {
            DroppedAt = Stopwatch.GetTimestamp();
            _ = RejoinAsync("rejoin");
        }
    }

    /// <summary>JoinClass again over the same hub connection (one at a time), then a fresh peer (the page's onJoined).</summary>
    private async Task RejoinAsync(string reason)
    {
        if (_stopped || _hub is null || Interlocked.Exchange(ref _rejoining, 1) == 1)
        {
            return;
        }
        try
        {
            Rejoins++;
            using var budget = new CancellationTokenSource(ReplaceBudget);
            while (true)
            {
                // A connection that closed meanwhile is the move's to replace (CascadeClassroom.Hub.cs): it joins there.
                if (_hub is not { State: HubConnectionState.Connected } hub || Volatile.Read(ref _moving) == 1)
                {
                    return;
                }
                try
                {
                    await JoinClassAsync(hub, budget.Token);
                    RejoinedAt = Stopwatch.GetTimestamp();
                    break;
                }
                catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException && !budget.IsCancellationRequested)
                {
                    // The page starts its connection over after a failed join, 2 s between attempts (RoomConnection.start).
                    LastError = ex;
                    Retries++;
                    await Task.Delay(TimeSpan.FromSeconds(2), budget.Token);
                }
            }
            RequestReplace(reason);
        }
        catch (OperationCanceledException ex)
        {
            LastError = ex;
        }
        finally
        {
            Volatile.Write(ref _rejoining, 0);
        }
    }

    /// <summary>
    /// The page's fallback: nothing received (media or consent answers) for <see cref="SilenceFallback"/> → a fresh peer
    /// through the hub; while the hub
    /// cannot carry an offer (<see cref="CanOffer"/>) it is held (MediaSession.negotiate), and the hub's rejoin renegotiates.
    /// </summary>
    public void CheckSilence(long now)
    {
        // Chrome's "disconnected" is nothing received, media or consent answers (MediaSession: connectionState).
        if (_stopped || _peer is not { } peer || Replacing
            || now - Math.Max(Volatile.Read(ref _lastRtpAt), peer.LastStunAt) <= SilenceFallback.TotalSeconds * Stopwatch.Frequency)
        {
            return;
        }
        lock (_gate)
        {
            if (!CanOffer)
            {
                if (!_silenceHeld)
                {
                    _silenceHeld = true;
                    HeldForHub++;
                }
                return;
            }
        }
        RequestReplace("silence");
    }

    /// <summary>Replacement requests of all classrooms by reason ("silence", "hub moved", "rejoin", "event", …), since the start.</summary>
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Requests = new();

    /// <summary>Offers held because the hub could not carry them (the silence fallback, a replacement's retry).</summary>
    public int HeldForHub { get; private set; }

    /// <summary>Events received while a join awaited its answer and applied after its snapshot.</summary>
    public int HeldEvents => _self.HeldEvents;

    private bool _silenceHeld;

    /// <summary>Asks for a fresh peer: starts the negotiation loop, or makes the running one negotiate again (at once if it is waiting out a back-off).</summary>
    private void RequestReplace(string reason)
    {
        lock (_gate)
        {
            if (_stopped)
            {
                return;
            }
            ReplacedBecause ??= reason;
            _lastReason = reason;
            Requests.AddOrUpdate(reason, 1, (_, n) => n + 1);
            _silenceHeld = false;
            VideoBackAt = 0;
            _replaceRequestedAt = Stopwatch.GetTimestamp();
            _wanted++;
            if (reason != "event")
            {
                _wantedOtherThanLoss++;
            }
            _wait?.Cancel();
            if (_replacing)
            {
                return;
            }
            _replacing = true;
            Replacements++;
            ReplaceAttempts = 0;
            _reoffers.Clear();
        }
        _ = ReplaceLoopAsync();
    }

    private async Task ReplaceLoopAsync()
    {
        try
        {
            using var budget = new CancellationTokenSource(ReplaceBudget);
            for (var round = 1; !_stopped; round++)
            {
                int wanted;
                int other;
                lock (_gate)
                {
                    // The hub went down meanwhile: held; its rejoin asks again (RequestReplace), as the page's onJoined.
                    if (!CanOffer)
                    {
                        HeldForHub++;
                        _replacing = false;
                        return;
                    }
                    wanted = _wanted;
                    other = _wantedOtherThanLoss;
                }
                if (await OfferTwiceAsync(budget.Token))
                {
                    lock (_gate)
                    {
                        // As MediaSession: a MediaNodeLost that came while this offer was in flight is judged against the
                        // answer it brought; only a loss newer than that answer, or another reason, asks again.
                        if (_wantedOtherThanLoss == other && !LossPending())
                        {
                            _replacing = false;
                            return;
                        }
                        var order = _lostEmittedAt is not { } emitted ? "" : _offerSentUtc < emitted ? ", its offer sent before the grain emitted MediaNodeLost" : ", its offer sent after the grain emitted MediaNodeLost";
                        _reoffers.Add(($"connected, then asked again ({_lastReason}{order})", Stopwatch.GetTimestamp()));
                    }
                    round = 0;
                    continue;
                }
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
                lock (_gate)
                {
                    if (_wanted != wanted)
                    {
                        continue;
                    }
                    _wait = wait;
                }
                try
                {
                    await Task.Delay(RetryDelay(round), wait.Token);
                }
                catch (OperationCanceledException) when (!budget.IsCancellationRequested)
                {
                    // A newer request: negotiate now.
                }
                finally
                {
                    lock (_gate)
                    {
                        _wait = null;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or HubException or TimeoutException or InvalidOperationException or IOException)
        {
            LastError = ex;
        }
        lock (_gate)
        {
            _replacing = false;
        }
    }

    /// <summary>One offer, and on a refusal another at once on a fresh peer (MediaSession.negotiate); false if both failed.</summary>
    private async Task<bool> OfferTwiceAsync(CancellationToken ct)
    {
        for (var i = 0; i < 2; i++)
        {
            try
            {
                ReplaceAttempts++;
                await NegotiateAsync(ct);
                return true;
            }
            catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException or IOException && !ct.IsCancellationRequested)
            {
                LastError = ex;
                lock (_gate)
                {
                    _reoffers.Add((Describe(ex), Stopwatch.GetTimestamp()));
                }
            }
        }
        return false;
    }

    private string? _lastReason;

    /// <summary>When the grain emitted the MediaNodeLost naming this classroom (its stamp), and when the current offer was sent.</summary>
    private DateTimeOffset? _lostEmittedAt;
    private DateTimeOffset _offerSentUtc;
    private readonly List<(string Why, long At)> _reoffers = [];

    /// <summary>The current replacement's offers that did not end it: why (refused, timed out, ICE/DTLS failed on which node, asked again) and when.</summary>
    public IReadOnlyList<(string Why, long At)> Reoffers
    {
        get
        {
            lock (_gate)
            {
                return [.. _reoffers];
            }
        }
    }

    /// <summary>An offer's failure as a group key: its kind, whether the answer had come and from which node, the message without ids.</summary>
    private string Describe(Exception ex)
    {
        var message = ex.Message;
        var at = message.IndexOf("HubException: ", StringComparison.Ordinal);
        if (at >= 0)
        {
            message = message[(at + 14)..];
        }
        message = Ids().Replace(message, "#");
        message = message.Length > 110 ? message[..110] : message;
        var answered = _answeredBy is { } node ? $"answered by {node}" : "no answer";
        return $"{ex.GetType().Name} ({answered}): {message}";
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"[0-9a-fA-F]{8}-[0-9a-fA-F-]{27}|[0-9a-fA-F]{16,}|\d+")]
    private static partial System.Text.RegularExpressions.Regex Ids();
}
