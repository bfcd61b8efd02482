using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests;

/// <summary>A lead classroom with its teacher and N rural classrooms, each with a projector-PC device and an assistant teacher.</summary>
internal static class ClassScenario
{
    public const string ClassId = "class-1";
    public const string LeadClassroomId = "lead-room";

    public static GrainKey Key => new(GrainKinds.Classroom, ClassId);

    public static RoomCaller Lead => new("teacher-1", "王老师", RoomRole.Lead, LeadClassroomId);

    public static RoomCaller Device(int n) => new($"device-{n}", $"村小{n}号教室", RoomRole.Classroom, Rural(n), PrincipalKind.Device);

    public static RoomCaller Assistant(int n) => new($"assistant-{n}", $"助教{n}", RoomRole.Classroom, Rural(n));

    public static RoomCaller Observer => new("researcher-1", "教研员", RoomRole.Observer);

    public static string Rural(int n) => $"rural-{n}";

    public static ClassSetup Setup(int ruralCount = 3, int maxOnStage = 2) => new(
        "数学 · 分数的初步认识",
        new PersonRef("teacher-1", "王老师"),
        new ClassroomRef(LeadClassroomId, "城区一小 301"),
        [.. Enumerable.Range(1, ruralCount).Select(n => new ClassroomRef(Rural(n), $"村小{n}"))],
        MaxOnStage: maxOnStage);

    /// <summary>Sets the class up and opens it; the lead teacher has joined.</summary>
    public static async Task<IClassroomGrain> LiveClassAsync(TestGrainHost host, int ruralCount = 3, int maxOnStage = 2)
    {
        var room = host.GetGrain<IClassroomGrain>(ClassId);
        await room.SetupAsync(RoomCaller.System, Setup(ruralCount, maxOnStage));
        await room.OpenAsync(Lead);
        await room.JoinAsync(Lead);
        return room;
    }

    public static async Task<RoomRuleException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RoomRuleException>(call);
}
