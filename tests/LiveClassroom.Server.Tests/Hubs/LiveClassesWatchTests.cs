using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Testing.SignalR;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// Admins watching the live classes hear a class in their scope open and end; devices waiting in a classroom hear it
/// open — on every node, not only the class's (the change goes through PostgreSQL NOTIFY).
/// </summary>
public sealed class LiveClassesWatchTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task WatchLiveClasses_ClassOpensAndEnds_AdminsInScopeToldOthersNot()
    {
        var classId = await TestClasses.SetUpAsync(factory, ruralCount: 2);
        await using var county = await factory.ConnectAsync(factory.TokenFor("admin"));
        await using var leadSchool = await factory.ConnectAsync(factory.TokenFor("schooladmin"));
        // The admin of a rural school that is not in this class.
        await using var unrelated = await factory.ConnectAsync(UnrelatedSchoolAdminToken());
        foreach (var admin in new[] { county, leadSchool, unrelated })
        {
            Assert.Equal(1, await admin.InvokeAsync<int>("WatchLiveClasses"));
        }
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);

        await lead.InvokeAsync("OpenClass", classId);

        foreach (var admin in new[] { county, leadSchool })
        {
            var opened = (await admin.NextEventAsync("LiveClassesChanged", e => (string?)e.Argument()!["classId"] == classId)).Argument()!;
            Assert.Equal("opened", (string?)opened["state"]);
        }
        await lead.InvokeAsync("EndClass", classId);
        var ended = (await county.NextEventAsync("LiveClassesChanged",
            e => (string?)e.Argument()!["classId"] == classId && (string?)e.Argument()!["state"] == "ended")).Argument()!;
        Assert.Equal("ended", (string?)ended["state"]);
        // The same send reached both groups it was meant for; the unrelated school's admin was in neither.
        await leadSchool.NextEventAsync("LiveClassesChanged", e => (string?)e.Argument()!["state"] == "ended");
        Assert.DoesNotContain(unrelated.Events, e => e.Target == "LiveClassesChanged" && (string?)e.Argument()!["classId"] == classId);
    }

    [Theory]
    [InlineData("teacher")]
    [InlineData("researcher")]
    [InlineData("assistant1")]
    public async Task WatchLiveClasses_NotAnAdmin_Forbidden(string username)
    {
        await using var person = await factory.ConnectAsync(factory.TokenFor(username));

        Assert.Equal("forbidden", await TestClasses.ErrorCodeAsync(() => person.InvokeAsync("WatchLiveClasses")));
    }

    [Fact]
    public async Task WatchLiveClasses_Device_Forbidden()
    {
        await using var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));

        Assert.Equal("forbidden", await TestClasses.ErrorCodeAsync(() => device.InvokeAsync("WatchLiveClasses")));
    }

    [Fact]
    public async Task ClassOpensOnOneNode_DeviceAndAdminOnAnotherNode_AreTold()
    {
        // A second server on the same database: another node (a cluster of its own here, which changes nothing for the
        // notice — it never touches the class's grain).
        await using var other = factory.WithOwnCluster(_ => { });
        var classId = await TestClasses.SetUpAsync(factory, ruralCount: 1);
        await using var device = await ConnectAsync(other, factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await using var admin = await ConnectAsync(other, factory.TokenFor("admin"));
        Assert.Equal(TestClasses.Rural(factory, 0), (string?)await device.InvokeAsync("WatchClassroom"));
        Assert.Equal(1, await admin.InvokeAsync<int>("WatchLiveClasses"));
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);

        await lead.InvokeAsync("OpenClass", classId);

        var notice = (await device.NextEventAsync("ClassOpened", e => (string?)e.Argument()!["classId"] == classId)).Argument()!;
        Assert.Equal(TestClasses.Rural(factory, 0), (string?)notice["classroomId"]);
        var changed = (await admin.NextEventAsync("LiveClassesChanged", e => (string?)e.Argument()!["classId"] == classId)).Argument()!;
        Assert.Equal("opened", (string?)changed["state"]);
    }

    [Fact]
    public async Task ClassChange_LargerThanOneNotification_EveryClassroomAndAdminTold()
    {
        await using var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await using var admin = await factory.ConnectAsync(factory.TokenFor("admin"));
        var classroom = TestClasses.Rural(factory, 0);
        Assert.Equal(classroom, (string?)await device.InvokeAsync("WatchClassroom"));
        Assert.Equal(1, await admin.InvokeAsync<int>("WatchLiveClasses"));
        // A county broadcast to 400 classrooms: some 16 KB of ids, twice what one NOTIFY carries. The device's classroom
        // is the last, so it is in the last piece; the county is the last organisation.
        var classId = "big-" + Guid.NewGuid().ToString("N");
        var classrooms = Enumerable.Range(0, 399).Select(_ => Guid.NewGuid().ToString()).Append(classroom).ToList();
        var organisations = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).Append(factory.Org.Org(DemoOrg.County)).ToList();
        var change = new ClassChange(classId, Opened: true, classrooms, organisations);
        Assert.True(change.Split(ClassChangeBroadcast.MaxPayloadBytes).Count > 1);

        await factory.Services.GetRequiredService<ClassChangeBroadcast>().PublishAsync(change, CancellationToken.None);

        var notice = (await device.NextEventAsync("ClassOpened", e => (string?)e.Argument()!["classId"] == classId)).Argument()!;
        Assert.Equal(classroom, (string?)notice["classroomId"]);
        var changed = (await admin.NextEventAsync("LiveClassesChanged", e => (string?)e.Argument()!["classId"] == classId)).Argument()!;
        Assert.Equal("opened", (string?)changed["state"]);
    }

    private string UnrelatedSchoolAdminToken()
    {
        var someone = factory.Org["assistant3"];
        return DemoOrg.PersonToken(factory.Tokens, someone.Id, someone.DisplayName, factory.Org.Org(DemoOrg.RuralSchools[2]),
            [(Roles.SchoolAdmin, factory.Org.Org(DemoOrg.RuralSchools[2]))]);
    }

    private static async Task<HubTestClient> ConnectAsync(WebApplicationFactory<Program> node, string token)
    {
        var socket = await node.Server.CreateWebSocketClient().ConnectAsync(
            HubTestClient.WithToken(new Uri(node.Server.BaseAddress, "/hubs/classroom"), token), CancellationToken.None);
        return await HubTestClient.ConnectAsync(socket);
    }
}
