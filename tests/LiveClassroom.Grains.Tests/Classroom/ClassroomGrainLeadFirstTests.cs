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
    private static async Task<IClassroomGrain> ReactivatedClassAsync(TestGrainHost host)
    {
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: Classrooms);
        await room.ConnectMediaAsync(ClassScenario.Lead, LeadOffer());
        for (var n = 1; n <= Classrooms; n++)
        {
            await room.JoinAsync(ClassScenario.Device(n));
            await room.ConnectMediaAsync(ClassScenario.Device(n), ClassroomOffer());
        }
        await host.DeactivateAsync(ClassScenario.Key);
        var callers = Enumerable.Range(1, Classrooms).Select(ClassScenario.Device).Prepend(ClassScenario.Lead);
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

        // Every classroom's offer is sent before the lead's, as when the lead's page joins among the last.
        var offers = Enumerable.Range(1, Classrooms).Select(n => room.ConnectMediaAsync(ClassScenario.Device(n), ClassroomOffer())).ToList();
        var lead = room.ConnectMediaAsync(ClassScenario.Lead, LeadOffer());
        await Task.WhenAll(offers.Append(lead));

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
        var start = host.Time.GetUtcNow();

        var answered = Enumerable.Range(1, Classrooms).Select(async n =>
        {
            await room.ConnectMediaAsync(ClassScenario.Device(n), ClassroomOffer());
            return host.Time.GetUtcNow();
        }).ToList();
        var all = Task.WhenAll(answered);
        // The grain's clock moves only when told: a second at a time until every offer is answered (a minute at most).
        for (var s = 0; s < 60 && !all.IsCompleted; s++)
        {
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromMilliseconds(200)));
            if (!all.IsCompleted)
            {
                await host.AdvanceAsync(TimeSpan.FromSeconds(1));
            }
        }

        var at = await all;
        Assert.Equal(Classrooms, NegotiationsSince(host, callsBefore).Count);
        // None was answered before the wait for the lead ran out (on the grain's clock).
        Assert.All(at, t => Assert.True(t - start >= host.Options.LeadFirstWait, $"answered {t - start} after the offers"));
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
}
