using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Tests.Apis.Rooms;
using LiveClassroom.Testing;
using LiveClassroom.Testing.SignalR;
using Microsoft.Extensions.Configuration;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// Two real server processes on loopback sharing one PostgreSQL database, with 3-second leases: a class lives on
/// the node holding its lease; the other node redirects; when the owner dies the other node takes the class over
/// with its state intact.
/// </summary>
public sealed class TwoNodePlacementTests : IAsyncLifetime
{
    private static readonly TimeSpan TakeOverWithin = TimeSpan.FromSeconds(30);
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly List<IAsyncDisposable> _cleanup = [];
    private TestDatabase? _db;

    public async Task InitializeAsync() => _db = await TestDatabase.CreateAsync("twonode");

    [Fact]
    public async Task JoinClass_OwnerKilled_OtherNodeRedirectsThenTakesOverWithStateIntact()
    {
        var db = _db!;
        var leases = new Dictionary<string, string> { ["Leases__DurationSeconds"] = "3", ["Leases__RenewSeconds"] = "1" };
        // Node A starts first so exactly one process seeds the demo organisation.
        var a = await Track(NodeProcess.StartAsync("node-a", db.ConnectionString, _signingKey, leases));
        var b = await Track(NodeProcess.StartAsync("node-b", db.ConnectionString, _signingKey, leases));
        var org = await DemoOrg.LoadAsync(db.ConnectionString);
        var tokens = new TokenService(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Auth:SigningKey"] = _signingKey }).Build(),
            TimeProvider.System);
        var teacher = DemoOrg.PersonToken(tokens, org["teacher"]);
        var c = DemoOrg.RuralSchools.Select(org.ClassroomOf).Select(g => g.ToString()).ToArray();

        // The class is opened through node A, which thereby holds its lease.
        var classId = await OpenLessonAsync(a.Url, org, tokens);

        // Node B does not own it: a join there is redirected to A.
        var early = await Track(HubTestClient.ConnectAsync(Hub(b), org.DeviceToken(tokens, DemoOrg.RuralSchools[0])));
        {
            var moved = await Assert.ThrowsAsync<HubInvocationException>(() => early.InvokeAsync("JoinClass", classId));
            Assert.Equal("room_moved", moved.Code);
            Assert.Equal(a.Url.ToString().TrimEnd('/'), (string?)moved.Details!["ownerUrl"]);
        }

        // On A: everyone joins, two hands go up, classroom 2 goes on stage.
        var lead = await Track(HubTestClient.ConnectAsync(Hub(a), teacher));
        await lead.InvokeAsync("JoinClass", classId);
        var devices = new List<HubTestClient>();
        for (var i = 0; i < 3; i++)
        {
            var d = await Track(HubTestClient.ConnectAsync(Hub(a), org.DeviceToken(tokens, DemoOrg.RuralSchools[i])));
            await d.InvokeAsync("JoinClass", classId);
            devices.Add(d);
        }
        await devices[0].InvokeAsync("RaiseHand", classId);
        await devices[1].InvokeAsync("RaiseHand", classId);
        await lead.InvokeAsync("BringOnStage", classId, c[2]);
        var before = (await lead.InvokeAsync("Resync", classId))!["class"]!;

        await a.KillAsync();

        // B redirects while A's lease is still valid, then takes the class over once it has expired.
        var leadOnB = await Track(HubTestClient.ConnectAsync(Hub(b), teacher));
        var snapshot = await JoinWhenTakenOverAsync(leadOnB, classId, a);
        Assert.Equal("Live", (string?)snapshot["state"]);
        Assert.Equal([c[0], c[1]], snapshot["handQueue"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(c[2], (string?)Assert.Single(snapshot["stage"]!.AsArray())!["classroomId"]);
        Assert.True((long)snapshot["sequence"]! >= (long)before["sequence"]!);
        foreach (var classroom in snapshot["classrooms"]!.AsArray())
        {
            Assert.NotNull((string?)classroom!["attendance"]!["firstJoinedAt"]);
        }
        // The class runs on B: a rural classroom reconnects there and its hand goes down.
        var d0OnB = await Track(HubTestClient.ConnectAsync(Hub(b), org.DeviceToken(tokens, DemoOrg.RuralSchools[0])));
        await d0OnB.InvokeAsync("JoinClass", classId);
        await d0OnB.InvokeAsync("LowerHand", classId);
        var queue = (await leadOnB.NextRoomEventAsync("HandQueueChanged"))["payload"]!["queue"]!.AsArray();
        Assert.Equal([c[1]], queue.Select(n => (string)n!));
        GC.KeepAlive(b);
    }

    private static async Task<JsonNode> JoinWhenTakenOverAsync(HubTestClient client, string classId, NodeProcess deadOwner)
    {
        var deadline = DateTime.UtcNow + TakeOverWithin;
        while (true)
        {
            try
            {
                return (await client.InvokeAsync("JoinClass", classId))!["class"]!;
            }
            catch (HubInvocationException ex) when (ex.Code is "room_moved" or "unavailable" && DateTime.UtcNow < deadline)
            {
                if (ex.Code == "room_moved")
                {
                    Assert.Equal(deadOwner.Url.ToString().TrimEnd('/'), (string?)ex.Details!["ownerUrl"]);
                }
                // The lease runs out on the database clock; polling twice a second is all there is to wait on.
                await Task.Delay(500);
            }
        }
    }

    private static async Task<string> OpenLessonAsync(Uri node, DemoOrg org, TokenService tokens)
    {
        using var admin = Http(node, DemoOrg.PersonToken(tokens, org["admin"]));
        using var created = await admin.PostAsJsonAsync("/api/pairings", RoomApiRequests.Pairing(org, 3));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var pairingId = (string)JsonNode.Parse(await created.Content.ReadAsStringAsync())!["pairingId"]!;
        using var timetable = await admin.PutAsJsonAsync($"/api/pairings/{pairingId}/timetable", RoomApiRequests.Timetable());
        Assert.Equal(HttpStatusCode.OK, timetable.StatusCode);

        using var lead = Http(node, DemoOrg.PersonToken(tokens, org["teacher"]));
        var today = RoomApiRequests.Today;
        var lessons = JsonNode.Parse(await lead.GetStringAsync($"/api/pairings/{pairingId}/lessons?from={today}&to={today}"))!.AsArray();
        var lessonId = (string)lessons[0]!["lessonId"]!;
        using var opened = await lead.PostAsync($"/api/pairings/{pairingId}/lessons/{lessonId}/open", null);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        return (string)JsonNode.Parse(await opened.Content.ReadAsStringAsync())!["classId"]!;
    }

    private static HttpClient Http(Uri node, string token)
    {
        var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(20) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static Uri Hub(NodeProcess node) => new(node.Url, "/hubs/classroom");

    private async Task<T> Track<T>(Task<T> starting)
        where T : IAsyncDisposable
    {
        var value = await starting;
        _cleanup.Add(value);
        return value;
    }

    public async Task DisposeAsync()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            await _cleanup[i].DisposeAsync();
        }
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }
}
