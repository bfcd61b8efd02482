using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>
/// A live class activating again (its node died) tells the node it now runs on, which continues the class's recording
/// there; a class that is not live, or that opens for the first time, does not.
/// </summary>
public sealed class ClassroomGrainActivationTests
{
    [Fact]
    public async Task Activate_LiveClassAfterHostCrash_ReportsLiveActivationOnce()
    {
        await using var host = await TestGrainHost.CreateAsync();
        await ClassScenario.LiveClassAsync(host);
        Assert.Empty(host.Events.LiveActivations);

        await host.RestartAsync();
        await host.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead);

        Assert.Equal([ClassScenario.Key], host.Events.LiveActivations);
    }

    [Fact]
    public async Task Activate_EndedClassAfterHostCrash_ReportsNothing()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.EndAsync(ClassScenario.Lead);

        await host.RestartAsync();
        await host.GetGrain<IClassroomGrain>(ClassScenario.ClassId).GetSnapshotAsync(ClassScenario.Lead);

        Assert.Empty(host.Events.LiveActivations);
    }
}
