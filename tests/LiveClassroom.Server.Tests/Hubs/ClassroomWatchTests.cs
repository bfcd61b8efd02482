namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>A waiting classroom device learns "class opened" over the hub instead of at its next timetable poll.</summary>
public sealed class ClassroomWatchTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task WatchClassroom_ClassOfItsClassroomOpens_DeviceToldAndUnpairedDeviceNot()
    {
        var classId = await TestClasses.SetUpAsync(factory, ruralCount: 2);
        await using var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await using var unpaired = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[2]));
        Assert.Equal(TestClasses.Rural(factory, 0), (string?)await device.InvokeAsync("WatchClassroom"));
        Assert.Equal(TestClasses.Rural(factory, 2), (string?)await unpaired.InvokeAsync("WatchClassroom"));
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);

        await lead.InvokeAsync("OpenClass", classId);

        var notice = (await device.NextEventAsync("ClassOpened")).Argument()!;
        Assert.Equal(classId, (string?)notice["classId"]);
        Assert.Equal(TestClasses.Rural(factory, 0), (string?)notice["classroomId"]);
        Assert.DoesNotContain(unpaired.Events, e => e.Target == "ClassOpened");
        // The watch is only a doorbell: the device is not joined to the class by it.
        Assert.Equal("not_joined", await TestClasses.ErrorCodeAsync(() => device.InvokeAsync("RaiseHand", classId)));
    }

    [Theory]
    [InlineData("assistant1")]
    [InlineData("teacher")]
    public async Task WatchClassroom_Person_Forbidden(string username)
    {
        await using var person = await factory.ConnectAsync(factory.TokenFor(username));

        Assert.Equal("forbidden", await TestClasses.ErrorCodeAsync(() => person.InvokeAsync("WatchClassroom")));
    }
}
