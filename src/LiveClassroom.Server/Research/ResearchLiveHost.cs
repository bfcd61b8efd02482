using System.Collections.Concurrent;
using LiveClassroom.Grains.Research;
using Microsoft.Extensions.Options;

namespace LiveClassroom.Server.Research;

/// <summary>
/// Holds the live rules of each running research session in memory and runs commands on them one at a time,
/// recording what they produce before the next command. Stand-in for the ResearchSession grain: the grain host
/// can take the <see cref="ResearchSessionRules"/> over unchanged.
/// </summary>
public sealed partial class ResearchLiveHost(
    ResearchStore store, TimeProvider time, IOptions<ResearchLiveOptions> options, IResearchLiveNotifier notifier, ILogger<ResearchLiveHost> logger)
{
    private readonly ConcurrentDictionary<Guid, Entry> _sessions = new();
    private readonly SemaphoreSlim _loading = new(1, 1);

    /// <summary>Runs <paramref name="command"/> on the session's rules; the produced facts are stored even when the command is refused.</summary>
    public async Task<T> RunAsync<T>(ResearchSessionRecord session, Func<ResearchSessionRules, T> command, CancellationToken ct)
    {
        var entry = await EntryAsync(session, ct);
        await entry.Gate.WaitAsync(ct);
        IReadOnlyList<ResearchEvent> events = [];
        try
        {
            try
            {
                return command(entry.Rules);
            }
            finally
            {
                events = entry.Rules.DrainEvents();
                // Recorded before the gate opens, so the next command sees the facts in the database in order.
                await store.RecordEventsAsync(session.Id, events, CancellationToken.None);
            }
        }
        finally
        {
            entry.Gate.Release();
            // Queue and playback changes produce no recorded facts but still change what clients see.
            await NotifyAsync(session.Id);
        }
    }

    /// <summary>Applies expiries in every loaded session and forgets ended ones.</summary>
    public async Task SweepAsync(CancellationToken ct)
    {
        foreach (var (id, entry) in _sessions)
        {
            await entry.Gate.WaitAsync(ct);
            IReadOnlyList<ResearchEvent> events;
            bool ended;
            try
            {
                entry.Rules.Touch();
                events = entry.Rules.DrainEvents();
                await store.RecordEventsAsync(id, events, ct);
                ended = entry.Rules.Status == ResearchSessionRules.StatusEnded;
            }
            finally
            {
                entry.Gate.Release();
            }
            if (ended)
            {
                _sessions.TryRemove(id, out _);
            }
            if (events.Count > 0)
            {
                await NotifyAsync(id);
            }
        }
    }

    private async Task<Entry> EntryAsync(ResearchSessionRecord session, CancellationToken ct)
    {
        if (_sessions.TryGetValue(session.Id, out var existing))
        {
            return existing;
        }
        // One load at a time: a second loader must not close presences the first one's commands just opened.
        await _loading.WaitAsync(ct);
        try
        {
            return _sessions.TryGetValue(session.Id, out existing) ? existing : await LoadAsync(session, ct);
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<Entry> LoadAsync(ResearchSessionRecord session, CancellationToken ct)
    {
        var rules = new ResearchSessionRules(
            session.HostId,
            session.Segments.Select(s => new SegmentPlan(s.Kind, s.Title, s.PlannedSeconds)).ToList(),
            TimeSpan.FromSeconds(session.SpeakerTurnSeconds),
            TimeSpan.FromSeconds(options.Value.ReconnectGraceSeconds),
            time);
        if (session.Status != ResearchSessionRules.StatusScheduled)
        {
            // Loaded after a restart (or on another node): presences held in memory are gone, so close them now.
            var running = session.Segments.LastOrDefault(s => s.StartedAt is not null);
            rules.Restore(session.Status == "live" ? ResearchSessionRules.StatusLive : ResearchSessionRules.StatusEnded,
                running?.Position ?? 0, running?.StartedAt);
            await store.CloseOpenAttendanceAsync(session.Id, time.GetUtcNow(), ct);
            LogRestored(logger, session.Id, session.Status);
        }
        var entry = new Entry(rules);
        _sessions[session.Id] = entry;
        return entry;
    }

    private async Task NotifyAsync(Guid sessionId)
    {
        try
        {
            await notifier.SessionChangedAsync(sessionId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogNotifyFailed(logger, sessionId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Research session {SessionId} restored from the database in status {Status}")]
    private static partial void LogRestored(ILogger logger, Guid sessionId, string status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying clients of research session {SessionId} failed")]
    private static partial void LogNotifyFailed(ILogger logger, Guid sessionId, Exception ex);

    private sealed class Entry(ResearchSessionRules rules)
    {
        public ResearchSessionRules Rules { get; } = rules;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
