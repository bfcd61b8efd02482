using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace LiveClassroom.Server.Tests.Auth;

/// <summary>Two server nodes on one database: a revocation made on one reaches the other through PostgreSQL.</summary>
public sealed class MultiNodeRevocationTests(AccountsServerFactory nodeA) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task Revoke_OnOneNode_TheOtherNodeRefusesTheDeviceWithinFiveSeconds()
    {
        await using var nodeB = nodeA.SecondNode();
        using var projector = nodeA.Anonymous();
        using var created = await projector.PostAsync("/api/devices/pairing-requests", null);
        var request = await JsonAssert.StatusAsync(created, HttpStatusCode.Created);
        // The admin confirms on node B, the projector collects on node A.
        using var adminOnB = nodeB.WithToken(await nodeA.LoginAsync("admin"));
        using var paired = await adminOnB.PostAsJsonAsync("/api/devices/pair", new
        {
            code = request.GetProperty("code").GetString(),
            classroomId = await nodeA.ClassroomIdAsync("河口乡中心小学"),
            name = "河口投影机",
        });
        var deviceId = (await JsonAssert.StatusAsync(paired, HttpStatusCode.OK)).GetProperty("id").GetGuid();
        using var poll = await projector.GetAsync(
            $"/api/devices/pairing-requests/{request.GetProperty("requestId").GetGuid()}?pollToken={Uri.EscapeDataString(request.GetProperty("pollToken").GetString()!)}");
        var token = (await JsonAssert.StatusAsync(poll, HttpStatusCode.OK)).GetProperty("deviceToken").GetString()!;
        using var deviceOnA = nodeA.WithToken(token);
        using var deviceOnB = nodeB.WithToken(token);
        await JsonAssert.StatusAsync(await deviceOnB.GetAsync("/api/devices/me"), HttpStatusCode.OK);

        using var adminOnA = await nodeA.ClientForAsync("admin");
        await JsonAssert.StatusAsync(await adminOnA.PostAsync($"/api/devices/{deviceId}/revoke", null), HttpStatusCode.OK);

        await JsonAssert.ErrorAsync(await deviceOnA.GetAsync("/api/devices/me"), HttpStatusCode.Unauthorized, "unauthorized");
        // Node B learns of it on its next cache refresh (Auth:CacheRefreshSeconds, 2 s by default).
        var watch = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            using var response = await deviceOnB.GetAsync("/api/devices/me");
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(100);
            }
        }
        while (status == HttpStatusCode.OK && watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }
}
