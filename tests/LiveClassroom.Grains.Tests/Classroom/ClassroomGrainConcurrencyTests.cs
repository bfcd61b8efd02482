using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Classroom;

public sealed class ClassroomGrainConcurrencyTests
{
    private const int Classrooms = 50;

    [Fact]
    public async Task ConcurrentCalls_HundredsOnOneRoom_KeepHandQueueAttendanceAndSequenceConsistent()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: Classrooms, maxOnStage: 4);
        await Task.WhenAll(Enumerable.Range(1, Classrooms).Select(n => room.JoinAsync(ClassScenario.Device(n))));

        // Every classroom raises its hand twice and chats, all at once from the thread pool: 150 concurrent calls.
        var calls = Enumerable.Range(1, Classrooms).SelectMany(n => new Func<Task>[]
        {
            () => room.RaiseHandAsync(ClassScenario.Device(n)),
            () => room.RaiseHandAsync(ClassScenario.Device(n)),
            () => room.PostChatAsync(ClassScenario.Device(n), $"第{n}组完成了", isQuestion: n % 2 == 0),
        }).Select(call => Task.Run(call)).ToList();
        await Task.WhenAll(calls);

        var snapshot = await room.GetSnapshotAsync(ClassScenario.Lead);
        var events = host.Events.EventsOf(ClassScenario.Key);

        Assert.Equal(Classrooms, snapshot.HandQueue.Count);
        Assert.Equal(snapshot.HandQueue.Count, snapshot.HandQueue.Distinct().Count());
        var raisedOrder = events.Where(e => e.Type == ClassEventTypes.HandQueueChanged)
            .Select(e => (HandQueueChanged)e.Payload).Where(h => h.Change == "raised").Select(h => h.ClassroomId).ToList();
        Assert.Equal(raisedOrder, snapshot.HandQueue);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        Assert.Equal(events[^1].Sequence, snapshot.Sequence);
        Assert.Equal(Classrooms, snapshot.Chat.Count);
        Assert.Equal(snapshot.Chat.Count, snapshot.Chat.Select(m => m.MessageId).Distinct().Count());
        var rural = snapshot.Classrooms.Where(c => !c.IsLead).ToList();
        Assert.All(rural, c =>
        {
            Assert.True(c.Present);
            Assert.NotNull(c.Attendance.FirstJoinedAt);
            Assert.Equal(0, c.Attendance.ReconnectCount);
            Assert.Equal(snapshot.HandQueue.ToList().IndexOf(c.ClassroomId) + 1, c.HandPosition);
        });
        Assert.Equal(Classrooms + 1, snapshot.Participants.Count);
    }

    [Fact]
    public async Task ConcurrentCalls_RaiseLowerAndDismissInterleaved_QueueMatchesReplayedEvents()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: 10, maxOnStage: 4);
        await Task.WhenAll(Enumerable.Range(1, 10).Select(n => room.JoinAsync(ClassScenario.Device(n))));

        var calls = Enumerable.Range(0, 100).Select(i =>
        {
            var n = i % 10 + 1;
            return (i % 4) switch
            {
                0 or 1 => Task.Run(() => room.RaiseHandAsync(ClassScenario.Device(n))),
                2 => Task.Run(() => room.LowerHandAsync(ClassScenario.Device(n))),
                _ => Task.Run(() => room.DismissHandAsync(ClassScenario.Lead, ClassScenario.Rural(n))),
            };
        }).ToList();
        await Task.WhenAll(calls);

        var snapshot = await room.GetSnapshotAsync(ClassScenario.Lead);
        var events = host.Events.EventsOf(ClassScenario.Key);
        var replayed = new List<string>();
        foreach (var change in events.Where(e => e.Type == ClassEventTypes.HandQueueChanged).Select(e => (HandQueueChanged)e.Payload))
        {
            if (change.Change == "raised")
            {
                Assert.DoesNotContain(change.ClassroomId, replayed);
                replayed.Add(change.ClassroomId);
            }
            else
            {
                Assert.True(replayed.Remove(change.ClassroomId));
            }
            Assert.Equal(replayed, change.Queue);
        }
        Assert.Equal(replayed, snapshot.HandQueue);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
    }
}
