using System.Diagnostics;
using LiveClassroom.Grains.Rooms;
using Microsoft.Extensions.Logging;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// The lead's offer first on a fresh activation. Closed (armed when an activation finds the lead was publishing) → open
/// (the lead's negotiation has ended, answered or not, or <see cref="RoomOptions.LeadFirstWait"/> has passed since the first offer
/// that waited, or since the lead's classroom joined again if it did so meanwhile). While closed, the offers of everyone outside the lead's classroom wait here, holding nothing.
/// Why: after the class's node dies every page rejoins within a second or two of each other and offers at once. No
/// classroom can show the teacher before the lead has published again, yet each classroom offer ahead of the lead's took
/// the grain's turn for its placement and its SDP negotiation (the origin's SFU negotiates synchronously, on the grain's
/// turn), shared the lead's state write and made the lead's routing pass one for everybody: with 200 classrooms
/// 110–131 offers were ahead of the lead's, which was answered 0.6–2.1 s after it was sent (docs/BENCHMARKS-CASCADE.md).
/// The wait is bounded so that classrooms whose lead does not come back are connected as before, a few seconds late.
/// </summary>
internal sealed partial class ClassroomGrain
{
    private TimeSpan LeadFirstWait => Services.Options.LeadFirstWait;

    private TaskCompletionSource? _leadFirst;
    private Task? _leadFirstTimeout;
    private int _leadFirstWaiting;
    private int _offersSinceActivation;
    private int _negotiationsInFlight;

    /// <summary>On activation: the lead's classroom was publishing (its media is gone with the previous activation).</summary>
    private void ArmLeadFirst(IEnumerable<ParticipantRecord> connectedBefore)
    {
        var lead = State.Setup?.LeadClassroom.Id;
        if (LeadFirstWait > TimeSpan.Zero && State.Status == ClassState.Live && connectedBefore.Any(p => p.ClassroomId == lead && Publishes(p.Publish)))
        {
            _leadFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private static bool Publishes(PublishedTracks? publish) => publish is { CameraMid: not null } or { MicrophoneMid: not null };

    private bool IsLeadClassroom(ParticipantRecord p) => p.ClassroomId == State.Setup!.LeadClassroom.Id;

    /// <summary>Whether this offer opens the gate when its negotiation ends: a publisher of the lead's classroom.</summary>
    private bool OpensLeadFirst(ParticipantRecord p, MediaOffer offer) => IsLeadClassroom(p) && Publishes(offer.Publish);

    /// <summary>Waits (bounded) until the lead has negotiated, if this activation still waits for it. True if it waited.</summary>
    private async Task<bool> WaitForLeadAsync(ParticipantRecord p)
    {
        if (_leadFirst is not { } gate || gate.Task.IsCompleted || IsLeadClassroom(p))
        {
            return false;
        }
        _leadFirstTimeout ??= Task.Delay(LeadFirstWait, Time);
        _leadFirstWaiting++;
        ClassroomMeters.WaitingForLead(1);
        try
        {
            // The wait may be extended meanwhile (the lead's page joined again: its offer is on its way).
            while (!gate.Task.IsCompleted && _leadFirstTimeout is { IsCompleted: false } timeout)
            {
                await Task.WhenAny(gate.Task, timeout);
            }
        }
        finally
        {
            _leadFirstWaiting--;
            ClassroomMeters.WaitingForLead(-1);
        }
        if (gate.TrySetResult())
        {
            ClassroomGrainLog.LeadFirstTimedOut(Logger, LeadFirstWait, _leadFirstWaiting + 1);
        }
        return true;
    }

    /// <summary>
    /// The lead's classroom joined again while offers wait for it: its offer follows its join, so the wait runs
    /// <see cref="RoomOptions.LeadFirstWait"/> from now (under load the pages' rejoins spread over more than the wait, and
    /// the lead's can be among the last).
    /// </summary>
    private void LeadJoined()
    {
        if (_leadFirst is { Task.IsCompleted: false } && _leadFirstTimeout is not null)
        {
            _leadFirstTimeout = Task.Delay(LeadFirstWait, Time);
        }
    }

    /// <summary>The lead's negotiation has ended (answered or refused): the classrooms' offers go on.</summary>
    private void LeadNegotiated() => _leadFirst?.TrySetResult();

    /// <summary>Where a lead's offer spent its time in the grain, with what was in flight when it arrived (Information).</summary>
    private void LogLeadOffer(long arrived, int inFlight, int before, long started, long negotiated, long committed, long routed)
    {
        if (!Logger.IsEnabled(LogLevel.Information))
        {
            return;
        }
        static double Ms(long from, long to) => to == 0 || from == 0 ? -1 : Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
        ClassroomGrainLog.LeadOffer(Logger, arrived, inFlight, before, _leadFirstWaiting,
            Ms(arrived, started), Ms(started, negotiated), Ms(negotiated, committed), Ms(committed, routed), Ms(arrived, routed));
    }
}
