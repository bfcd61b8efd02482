using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Auth;
using LiveClassroom.Testing.SignalR;
using Npgsql;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// WatchNetwork: admins responsible for a class get its network figures pushed over the hub, built from what the media
/// plane measures (here synthetic peers' figures set on the recording media plane) and the browsers' own reports; nobody
/// else may watch.
/// </summary>
public sealed class NetworkDashboardHubTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Theory]
    [InlineData("admin")]
    [InlineData("schooladmin")]
    public async Task WatchNetwork_AdminOfTheClass_ReceivesEachClassroomsFiguresAndTheirChanges(string username)
    {
        var (classId, helpers) = await ClassWithTwoProjectorsAsync();
        await using var _ = new Helpers(helpers);
        var (peer0, peer1) = ((string)helpers[1].PeerId!, (string)helpers[2].PeerId!);
        factory.Media.Stats[classId] =
        [
            new PeerMediaStats(peer0, "connected", 600_000, 1_200_000, 0.0, 35.5, "h", OutboundLossFraction: 0.01, JitterMs: 12.34, EstimatedBitrateBps: 2_000_000),
            new PeerMediaStats(peer1, "connected", 300_000, 250_000, 0.0, 180, "l", OutboundLossFraction: 0.05, JitterMs: 20),
        ];
        await helpers[1].Client.InvokeAsync("ReportConnectionStats", classId, new
        {
            roundTripTimeMs = 40, packetLoss = 0.0, inboundBitrateBps = 1_100_000, outboundBitrateBps = 600_000, quality = "good",
            jitterMs = 9.0, frameWidth = 1280, frameHeight = 720, framesPerSecond = 25.0,
        });
        await helpers[0].Client.InvokeAsync("BringOnStage", classId, TestClasses.Rural(factory, 0));
        await using var admin = await factory.ConnectAsync(factory.TokenFor(username));

        var first = (await admin.InvokeAsync("WatchNetwork", classId))!;
        var pushed = (await admin.NextEventAsync("NetworkFigures", e => (long)e.Argument()!["seq"]! > (long)first["seq"]!)).Argument()!;

        foreach (var frame in new[] { first, pushed })
        {
            Assert.Equal(classId, (string?)frame["classId"]);
            Assert.Equal("Live", (string?)frame["state"]);
            Assert.False((bool?)frame["recording"]);
            var room0 = Classroom(frame, TestClasses.Rural(factory, 0));
            Assert.Equal("sfu", (string?)room0["source"]);
            Assert.Equal("Connected", (string?)room0["connection"]);
            Assert.Equal(35.5, (double)room0["roundTripTimeMs"]!);
            Assert.Equal(0.01, (double)room0["downLoss"]!);
            Assert.Equal(12.3, (double)room0["jitterMs"]!, 1);
            Assert.Equal(1_200_000, (long)room0["downBitrateBps"]!);
            Assert.Equal(600_000, (long)room0["upBitrateBps"]!);
            Assert.Equal(2_000_000, (long)room0["estimatedBitrateBps"]!);
            Assert.Equal("h", (string?)room0["layer"]);
            Assert.Equal(1280, (int)room0["frameWidth"]!);
            Assert.Equal(720, (int)room0["frameHeight"]!);
            Assert.Equal(25, (double)room0["framesPerSecond"]!);
            Assert.Equal(1, (int?)room0["stageSeat"]);
            Assert.Equal("good", (string?)room0["quality"]);
            Assert.False((bool)room0["degraded"]!);
            var room1 = Classroom(frame, TestClasses.Rural(factory, 1));
            Assert.Equal("l", (string?)room1["layer"]);
            Assert.Null(room1["stageSeat"]);
            Assert.Null(room1["frameWidth"]);
            // 5 % loss towards the classroom: fair, and the dashboard's badge.
            Assert.Equal("fair", (string?)room1["quality"]);
            Assert.True((bool)room1["degraded"]!);
            Assert.Equal(0, (int)room1["reconnects"]!);
        }

        // The link of the first classroom collapses: the next frames say so without being asked.
        factory.Media.Stats[classId] = [new PeerMediaStats(peer0, "connected", 600_000, 90_000, 0.0, 520, null, OutboundLossFraction: 0.2, VideoPaused: true)];
        var degraded = (await admin.NextEventAsync("NetworkFigures",
            e => (string?)Classroom(e.Argument()!, TestClasses.Rural(factory, 0))["quality"] == "poor")).Argument()!;
        var collapsed = Classroom(degraded, TestClasses.Rural(factory, 0));
        Assert.True((bool)collapsed["degraded"]!);
        Assert.True((bool)collapsed["videoPaused"]!);
        Assert.Null(collapsed["layer"]);
        // Without SFU figures the second classroom falls back to nothing measured (it never reported itself).
        Assert.Equal("none", (string?)Classroom(degraded, TestClasses.Rural(factory, 1))["source"]);
        Assert.Equal("unknown", (string?)Classroom(degraded, TestClasses.Rural(factory, 1))["quality"]);
    }

    [Fact]
    public async Task WatchNetwork_RuralSchoolAdmin_SeesItsOwnClassroomOnlyWhileTheCountySeesBoth()
    {
        var (classId, helpers) = await ClassWithTwoProjectorsAsync();
        await using var _ = new Helpers(helpers);
        await using var rural = await factory.ConnectAsync(factory.TokenFor("schooladmin1"));
        await using var county = await factory.ConnectAsync(factory.TokenFor("admin"));

        var ruralFirst = (await rural.InvokeAsync("WatchNetwork", classId))!;
        var countyFirst = (await county.InvokeAsync("WatchNetwork", classId))!;
        var ruralPushed = (await rural.NextEventAsync("NetworkFigures", e => (long)e.Argument()!["seq"]! > (long)ruralFirst["seq"]!)).Argument()!;
        var countyPushed = (await county.NextEventAsync("NetworkFigures", e => (long)e.Argument()!["seq"]! > (long)countyFirst["seq"]!)).Argument()!;

        // 青山村小学's admin: its classroom, not 河口乡's, nor the lead classroom.
        foreach (var frame in new[] { ruralFirst, ruralPushed })
        {
            Assert.Equal([TestClasses.Rural(factory, 0)], frame["classrooms"]!.AsArray().Select(c => (string)c!["classroomId"]!));
        }
        foreach (var frame in new[] { countyFirst, countyPushed })
        {
            Assert.Equal(3, frame["classrooms"]!.AsArray().Count);
        }
        // Its watch stops like anyone's (it left its own group).
        Assert.Null(await TestClasses.ErrorCodeAsync(() => rural.InvokeAsync("UnwatchNetwork", classId)));
    }

    [Theory]
    [InlineData("lead teacher")]
    [InlineData("assistant of a paired school")]
    [InlineData("device of a paired classroom")]
    [InlineData("researcher")]
    [InlineData("admin of another county")]
    public async Task WatchNetwork_NotAnAdminOfTheClass_IsForbiddenAndGetsNoFigures(string who)
    {
        var classId = await TestClasses.SetUpAsync(factory);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await using var caller = await factory.ConnectAsync(await TokenForAsync(who));

        var code = await TestClasses.ErrorCodeAsync(() => caller.InvokeAsync("WatchNetwork", classId));

        Assert.Equal("forbidden", code);
        // Refused means not added: stopping a watch that never started is refused as well.
        Assert.Equal("not_joined", await TestClasses.ErrorCodeAsync(() => caller.InvokeAsync("UnwatchNetwork", classId)));
    }

    [Fact]
    public async Task WatchNetwork_UnknownClassOrAnonymous_IsRefused()
    {
        await using var admin = await factory.ConnectAsync(factory.TokenFor("admin"));
        Assert.Equal("class_not_found", await TestClasses.ErrorCodeAsync(() => admin.InvokeAsync("WatchNetwork", "test.nosuchclass")));
        Assert.Equal("class_not_found", await TestClasses.ErrorCodeAsync(() => admin.InvokeAsync("WatchNetwork", "bad id!")));
    }

    [Fact]
    public async Task UnwatchNetwork_AfterWatching_IsAcceptedOnceThenRefused()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await using var admin = await factory.ConnectAsync(factory.TokenFor("admin"));
        await admin.InvokeAsync("WatchNetwork", classId);

        Assert.Null(await TestClasses.ErrorCodeAsync(() => admin.InvokeAsync("UnwatchNetwork", classId)));
        Assert.Equal("not_joined", await TestClasses.ErrorCodeAsync(() => admin.InvokeAsync("UnwatchNetwork", classId)));
    }

    private static JsonNode Classroom(JsonNode frame, string classroomId) =>
        frame["classrooms"]!.AsArray().Single(c => (string?)c!["classroomId"] == classroomId)!;

    private async Task<(string ClassId, List<(HubTestClient Client, string? PeerId)> Helpers)> ClassWithTwoProjectorsAsync()
    {
        var classId = await TestClasses.SetUpAsync(factory, ruralCount: 2);
        var helpers = new List<(HubTestClient, string?)>();
        var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        helpers.Add((lead, null));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        for (var i = 0; i < 2; i++)
        {
            var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[i]));
            await device.InvokeAsync("JoinClass", classId);
            var answer = await device.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));
            helpers.Add((device, (string?)answer!["peerId"]));
        }
        return (classId, helpers);
    }

    private async Task<string> TokenForAsync(string who)
    {
        var org = factory.Org;
        return who switch
        {
            "lead teacher" => factory.TokenFor("teacher"),
            "assistant of a paired school" => factory.TokenFor("assistant1"),
            "device of a paired classroom" => org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]),
            "researcher" => factory.TokenFor("researcher"),
            // The admin of a second county of the same city: its subtree holds none of the class's schools.
            "admin of another county" => await OtherCountyAdminTokenAsync(),
            _ => throw new ArgumentOutOfRangeException(nameof(who)),
        };
    }

    private async Task<string> OtherCountyAdminTokenAsync()
    {
        var city = factory.Org.Org("示范市");
        // The city's admin creates the county through the API (its audit entry names a person that exists).
        var cityAdmin = Guid.CreateVersion7();
        await using (var conn = new NpgsqlConnection(factory.Database.ConnectionString))
        {
            await conn.OpenAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO people (id, organisation_id, username, display_name, password_hash) VALUES (@id, @org, @name, '市管理员', 'not-a-login')", conn);
            insert.Parameters.AddWithValue("id", cityAdmin);
            insert.Parameters.AddWithValue("org", city);
            insert.Parameters.AddWithValue("name", "city-" + cityAdmin.ToString("N")[..8]);
            await insert.ExecuteNonQueryAsync();
        }
        using var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", DemoOrg.PersonToken(factory.Tokens, cityAdmin, "市管理员", city, [(Roles.CityAdmin, city)]));
        using var created = await http.PostAsJsonAsync("/api/organisations", new { parentId = city, kind = "county", name = "邻县" + Guid.NewGuid().ToString("N")[..6] });
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        var county = Guid.Parse((string)(await created.Content.ReadFromJsonAsync<JsonNode>())!["id"]!);
        return DemoOrg.PersonToken(factory.Tokens, Guid.CreateVersion7(), "邻县管理员", county, [(Roles.CountyAdmin, county)]);
    }

    private sealed class Helpers(List<(HubTestClient Client, string? PeerId)> helpers) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            foreach (var (client, _) in helpers)
            {
                await client.DisposeAsync();
            }
        }
    }
}
