using LiveClassroom.Grains.Pairing;
using LiveClassroom.Grains.Research;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Research;

public sealed class ResearchSessionGrainTests
{
    private static readonly RoomCaller HostResearcher = new("researcher-1", "教研员", RoomRole.Observer);
    private static readonly RoomCaller Invited = new("teacher-1", "王老师", RoomRole.Observer);
    private static readonly RoomCaller Stranger = new("teacher-9", "外校老师", RoomRole.Observer);

    [Fact]
    public async Task Session_ScheduleStartJoinEnd_FollowsItsStatesAndGuests()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = host.GetGrain<IResearchSessionGrain>("research-1");
        await session.ScheduleAsync(HostResearcher, new ResearchSessionDefinition(
            "分数教学研讨", new PersonRef("researcher-1", "教研员"), host.Time.GetUtcNow().AddDays(1), 60, [new PersonRef("teacher-1", "王老师")]));

        var notHost = await ClassScenario.RefusedAsync(() => session.StartAsync(Invited));
        var started = await session.StartAsync(HostResearcher);
        var joined = await session.JoinAsync(Invited);
        var uninvited = await ClassScenario.RefusedAsync(() => session.JoinAsync(Stranger));
        var ended = await session.EndAsync(HostResearcher);
        var afterEnd = await ClassScenario.RefusedAsync(() => session.JoinAsync(Invited));

        Assert.Equal(RoomErrorCode.Forbidden, notHost.Code);
        Assert.Equal(ResearchSessionState.Live, started.State);
        Assert.Equal(["teacher-1"], joined.Present);
        Assert.Equal(RoomErrorCode.Forbidden, uninvited.Code);
        Assert.Equal(ResearchSessionState.Ended, ended.State);
        Assert.Equal(RoomErrorCode.InvalidState, afterEnd.Code);
        Assert.Equal(Enumerable.Range(1, 4).Select(i => (long)i), host.Events.Events.Select(e => e.Sequence));
    }
}
