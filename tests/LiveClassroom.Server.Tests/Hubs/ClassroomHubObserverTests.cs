namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>Observers watch: admins with the attendance view, researchers without it; neither gets a tile.</summary>
public sealed class ClassroomHubObserverTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Theory]
    [InlineData("admin", "Admin", true)]
    [InlineData("schooladmin", "Admin", true)]
    [InlineData("researcher", "Observer", false)]
    public async Task JoinClass_Observer_RoleAndAttendanceAsTheMatrixSays(string username, string role, bool seesAttendance)
    {
        var classId = await TestClasses.SetUpAsync(factory);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await using var observer = await factory.ConnectAsync(factory.TokenFor(username));

        var view = await observer.InvokeAsync("JoinClass", classId);

        Assert.Equal(role, (string?)view!["you"]!["role"]);
        Assert.Null((string?)view["you"]!["classroomId"]);
        Assert.Equal(seesAttendance, (bool)view["you"]!["seesAttendance"]!);
        var leadClassroom = view["class"]!["classrooms"]!.AsArray().Single(c => (bool)c!["isLead"]!)!;
        Assert.Equal(seesAttendance, (string?)leadClassroom["attendance"]!["firstJoinedAt"] is not null);
        var me = view["class"]!["participants"]!.AsArray().Single(p => (string?)p!["principalId"] == (string?)view["you"]!["participantId"])!;
        Assert.Null(me["tile"]);
    }
}
