using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>
/// GetLinksAsync: the lead (console tiles) and an admin the server found responsible (network dashboard) see every connected
/// participant's link as the SFU measures it; nobody else may ask.
/// </summary>
public sealed class ClassroomGrainLinksTests
{
    private static MediaOffer Offer(PublishedTracks publish) => new("v=0", publish, [new ReceiveSlot("main", "5")]);

    [Fact]
    public async Task GetLinks_Lead_EachConnectedParticipantWithItsClassroomAndSfuFigures()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.ConnectMediaAsync(ClassScenario.Lead, Offer(new PublishedTracks("0", "1")));
        await room.JoinAsync(ClassScenario.Device(1));
        await room.ConnectMediaAsync(ClassScenario.Device(1), Offer(new PublishedTracks("0", "1")));
        await room.JoinAsync(ClassScenario.Device(2));
        await room.ConnectMediaAsync(ClassScenario.Device(2), Offer(new PublishedTracks("0", "1")));
        await room.LeaveAsync(ClassScenario.Device(2));

        var links = await room.GetLinksAsync(ClassScenario.Lead);

        Assert.Equal(["device-1", "teacher-1"], links.Select(l => l.PrincipalId).Order());
        var rural = links.Single(l => l.PrincipalId == "device-1");
        Assert.Equal(RoomRole.Classroom, rural.Role);
        Assert.Equal(ClassScenario.Rural(1), rural.ClassroomId);
        Assert.Equal(800_000, rural.Media.OutboundBitrateBps);
        Assert.Equal(0.02, rural.Media.OutboundLossFraction);
    }

    [Fact]
    public async Task GetLinks_Admin_SeesTheLinksWithoutJoining()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.ConnectMediaAsync(ClassScenario.Device(1), Offer(new PublishedTracks("0", "1")));

        var links = await room.GetLinksAsync(new RoomCaller("admin-1", "县管理员", RoomRole.Admin));

        Assert.Contains(links, l => l.PrincipalId == "device-1" && l.ClassroomId == ClassScenario.Rural(1));
    }

    [Fact]
    public async Task GetLinks_ClassroomOrObserver_IsForbidden()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.JoinAsync(ClassScenario.Observer);

        Assert.Equal(RoomErrorCode.Forbidden, (await ClassScenario.RefusedAsync(() => room.GetLinksAsync(ClassScenario.Device(1)))).Code);
        Assert.Equal(RoomErrorCode.Forbidden, (await ClassScenario.RefusedAsync(() => room.GetLinksAsync(ClassScenario.Observer))).Code);
    }
}
