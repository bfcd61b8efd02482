using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>
/// A rural classroom's page joins with the participants whose events it is sent (docs/HUB.md, "What a rural classroom's
/// page is sent"): the lead, observers, its own classroom and the stage, not other classrooms off stage.
/// </summary>
public sealed class ClassroomGrainSnapshotAudienceTests
{
    [Fact]
    public async Task Join_RuralClassroom_SnapshotLeavesOutOtherClassroomsOffStage_TheLeadSeesEveryone()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Observer);
        await room.JoinAsync(ClassScenario.Device(2));
        await room.JoinAsync(ClassScenario.Assistant(2));
        await room.JoinAsync(ClassScenario.Device(3));
        await room.JoinAsync(ClassScenario.Assistant(1));

        var device1 = await room.JoinAsync(ClassScenario.Device(1));

        Assert.Equal(["assistant-1", "device-1", "researcher-1", "teacher-1"], device1.Participants.Select(p => p.PrincipalId).Order());
        var lead = await room.GetSnapshotAsync(ClassScenario.Lead);
        Assert.Equal(7, lead.Participants.Count);
        // The narrowed snapshot is as current as the whole: the same sequence, the same classrooms.
        Assert.Equal(lead.Sequence, device1.Sequence);
        Assert.Equal(lead.Classrooms.Count, device1.Classrooms.Count);
    }

    [Fact]
    public async Task Join_RuralClassroom_AnotherClassroomOnStage_ItsParticipantsAreInTheSnapshot()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(2));
        await room.JoinAsync(ClassScenario.Assistant(2));
        await room.JoinAsync(ClassScenario.Device(3));
        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(2));

        var device1 = await room.JoinAsync(ClassScenario.Device(1));

        Assert.Equal(["assistant-2", "device-1", "device-2", "teacher-1"], device1.Participants.Select(p => p.PrincipalId).Order());
        Assert.All(device1.Participants.Where(p => p.ClassroomId == ClassScenario.Rural(2)), p => Assert.True(p.OnStage));
    }
}
