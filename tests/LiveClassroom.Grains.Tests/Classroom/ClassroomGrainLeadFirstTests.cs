using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>
/// After a fresh activation (the class's node died), every page offers media again at once. No classroom can show the
/// teacher before the lead has published again, so the lead's offer is served first; classroom offers wait for it, at
/// most <see cref="Rooms.RoomOptions.LeadFirstWait"/> (issue #17).
/// </summary>
public sealed class ClassroomGrainLeadFirstTests
{
    private const int Classrooms = 20;

    private static MediaOffer LeadOffer() => new("v=0", new PublishedTracks("0", "1"), []);

    private static MediaOffer ClassroomOffer() => new("v=0", new PublishedTracks("0", "1"), [new ReceiveSlot("main", "2"), new ReceiveSlot("main-audio", "3")]);

    /// <summary>A live class whose lead and classrooms published, activated afresh, every page joined again.</summary>
    private static async Task<IClassroomGrain> ReactivatedClassAsync(TestGrainHost host, bool leadJoins = true)
    {
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: Classrooms);
        await room.ConnectMediaAsync(ClassScenario.Lead, LeadOffer());
        for (var n = 1; n <= Classrooms; n++)
        {
            await room.JoinAsync(ClassScenario.Device(n));
            await room.ConnectMediaAsync(ClassScenario.Device(n), ClassroomOffer());
        }
        await host.DeactivateAsync(ClassScenario.Key);
        var callers = Enumerable.Range(1, Classrooms).Select(ClassScenario.Device).Concat(leadJoins ? [ClassScenario.Lead] : []);
        await Task.WhenAll(callers.Select(c => room.JoinAsync(c)));
        return room;
    }

    private static List<string> NegotiationsSince(TestGrainHost host, int calls) =>
        [.. host.Media.Calls.Skip(calls).Where(c => c.StartsWith("negotiate ", StringComparison.Ordinal)).Select(c => c.Split(' ')[2])];

    [Fact]
    public async Task ConnectMedia_FreshActivationClassroomOffersAhead_LeadNegotiatedFirstAndEveryClassroomRoutedToIt()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ReactivatedClassAsync(host);
        var callsBefore = host.Media.Calls.Count;
        using var waiting = new OffersWaitingForLead();

        // Every classroom's offer reaches the grain before the lead's is sent, as when the lead's page joins among the
        // last: they are either waiting for the lead in the grain or (without the wait) held in the media plane.
        var held = host.Media.HoldNegotiations(Classrooms);
        var offers = Enumerable.Range(1, Classrooms).Select(n => room.ConnectMediaAsync(ClassScenario.Device(n), ClassroomOffer())).ToList();
        await Task.WhenAny(held, waiting.Reached(Classrooms)).Unwrap().WaitAsync(TimeSpan.FromSeconds(30));
        host.Media.Release();
        var lead = room.ConnectMediaAsync(ClassScenario.Lead, LeadOffer());
        await Task.WhenAll(offers.Append(lead)).WaitAsync(TimeSpan.FromSeconds(60));

        var negotiated = NegotiationsSince(host, callsBefore);
        Assert.Equal(Classrooms + 1, negotiated.Count);
        Assert.Equal("teacher-1", negotiated[0]);
        Assert.All(Enumerable.Range(1, Classrooms), n =>
        {
            Assert.Equal(new MediaSource("teacher-1", "0"), host.Media.RouteOf(ClassScenario.ClassId, $"device-{n}", "2"));
            Assert.Equal(new MediaSource("teacher-1", "1"), host.Media.RouteOf(ClassScenario.ClassId, $"device-{n}", "3"));
        });
    }

    [Fact]
    public async Task ConnectMedia_FreshActivationLeadNeverOffers_ClassroomOffersAnsweredAfterTheWait()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ReactivatedClassAsync(host);
        var callsBefore = host.Media.Calls.Count;
        using var waiting = new OffersWaitingForLead();
        var start = host.Time.GetUtcNow();

        var answered = Enumerable.Range(1, Classrooms).Select(async n =>
        {
            await room.ConnectMediaAsync(ClassScenario.Device(n), ClassroomOffer());
            return host.Time.GetUtcNow();
        }).ToList();
        await waiting.Reached(Classrooms).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(answered, a => a.IsCompleted);
        await host.AdvanceAsync(host.Options.LeadFirstWait);
        var at = await Task.WhenAll(answered).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Classrooms, NegotiationsSince(host, callsBefore).Count);
        // Answered once the wait for the lead ran out (on the grain's clock), not before.
        Assert.All(at, t => Assert.Equal(start + host.Options.LeadFirstWait, t));
    }

    [Fact]
    public async Task ConnectMedia_LeadJoinsAgainLateInTheWait_WaitRunsFromTheLeadsJoinAndTheLeadIsNegotiatedFirst()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ReactivatedClassAsync(host, leadJoins: false);
        var callsBefore = host.Media.Calls.Count;
        using var waiting = new OffersWaitingForLead();
        var offers = Enumerable.Range(1, Classrooms).Select(n => room.ConnectMediaAsync(ClassScenario.Device(n), ClassroomOffer())).ToList();
        await waiting.Reached(Classrooms).WaitAsync(TimeSpan.FromSeconds(30));

        // The lead's page joins 2 s into the wait (its rejoin among the last, as under load), and offers after the wait
        // counted from the first classroom offer would have run out.
        // The clock alone moves (no reminder tick, which would queue behind the waiting offers).
        var step = host.Options.LeadFirstWait * 2 / 3;
        host.Time.Advance(step);
        await room.JoinAsync(ClassScenario.Lead);
        host.Time.Advance(step);
        var lead = room.ConnectMediaAsync(ClassScenario.Lead, LeadOffer());
        await Task.WhenAll(offers.Append(lead)).WaitAsync(TimeSpan.FromSeconds(60));

        var negotiated = NegotiationsSince(host, callsBefore);
        Assert.Equal(Classrooms + 1, negotiated.Count);
        Assert.Equal("teacher-1", negotiated[0]);
    }

    [Fact]
    public async Task ConnectMedia_NotAFreshActivation_ClassroomOffersDoNotWaitForTheLead()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: 3);
        await room.JoinAsync(ClassScenario.Device(1));

        // The class has just started: the lead has not published, and the classroom is connected at once.
        var answer = await room.ConnectMediaAsync(ClassScenario.Device(1), ClassroomOffer()).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("device-1", answer.PeerId);
    }

    /// <summary>The grains' gauge of offers waiting for the lead (<see cref="ClassroomMeters"/>), read in this process.</summary>
    private sealed class OffersWaitingForLead : IDisposable
    {
        private readonly System.Diagnostics.Metrics.MeterListener _listener = new();
        private readonly Lock _gate = new();
        private readonly List<(int Count, TaskCompletionSource Done)> _targets = [];
        private long _waiting;

        public OffersWaitingForLead()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ClassroomMeters.MeterName && instrument.Name == ClassroomMeters.OffersWaitingForLeadName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<int>((_, delta, _, _) =>
            {
                lock (_gate)
                {
                    _waiting += delta;
                    foreach (var t in _targets.Where(t => _waiting >= t.Count))
                    {
                        t.Done.TrySetResult();
                    }
                }
            });
            _listener.Start();
        }

        public Task Reached(int count)
        {
            lock (_gate)
            {
                var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _targets.Add((count, done));
                if (_waiting >= count)
                {
                    done.TrySetResult();
                }
                return done.Task;
            }
        }

        public void Dispose() => _listener.Dispose();
    }
}
