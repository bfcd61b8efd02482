using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Apis;

public sealed class DevicePairingTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private const string RuralSchool = "青山村小学";

    private async Task<(Guid RequestId, string Code, string PollToken)> CreateRequestAsync()
    {
        using var client = factory.Anonymous();
        using var response = await client.PostAsync("/api/devices/pairing-requests", null);
        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.Created);
        return (json.GetProperty("requestId").GetGuid(), json.GetProperty("code").GetString()!, json.GetProperty("pollToken").GetString()!);
    }

    private async Task<JsonElement> PollAsync(Guid requestId, string pollToken, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var client = factory.Anonymous();
        using var response = await client.GetAsync($"/api/devices/pairing-requests/{requestId}?pollToken={Uri.EscapeDataString(pollToken)}");
        return await JsonAssert.StatusAsync(response, expected);
    }

    private async Task<HttpResponseMessage> PairAsync(string adminUsername, string code, Guid classroomId, string name = "投影机 1")
    {
        using var admin = await factory.ClientForAsync(adminUsername);
        return await admin.PostAsJsonAsync("/api/devices/pair", new { code, classroomId, name });
    }

    /// <summary>Pairs a device into the rural school's classroom and returns its token.</summary>
    private async Task<(string Token, Guid DeviceId)> PairedDeviceAsync(string admin = "admin")
    {
        var (requestId, code, pollToken) = await CreateRequestAsync();
        using var paired = await PairAsync(admin, code, await factory.ClassroomIdAsync(RuralSchool));
        var device = await JsonAssert.StatusAsync(paired, HttpStatusCode.OK);
        var poll = await PollAsync(requestId, pollToken);
        return (poll.GetProperty("deviceToken").GetString()!, device.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task CreatePairingRequest_Anonymous_ReturnsSixCharacterCodeValidForTenMinutes()
    {
        using var client = factory.Anonymous();

        using var response = await client.PostAsync("/api/devices/pairing-requests", null);

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Matches("^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$", json.GetProperty("code").GetString());
        Assert.True(json.GetProperty("pollToken").GetString()!.Length >= 32);
        Assert.Equal(factory.Clock.GetUtcNow().AddMinutes(10), json.GetProperty("expiresAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        var poll = await PollAsync(json.GetProperty("requestId").GetGuid(), json.GetProperty("pollToken").GetString()!);
        Assert.Equal("pending", poll.GetProperty("status").GetString());
    }

    [Fact]
    public async Task PairingFlow_AdminConfirms_DeviceCollectsItsTokenExactlyOnceAndIsItsOwnPrincipal()
    {
        var (requestId, code, pollToken) = await CreateRequestAsync();
        var classroomId = await factory.ClassroomIdAsync(RuralSchool);

        // Lower case with a dash, as typed by a person.
        using var paired = await PairAsync("admin", code[..3].ToLowerInvariant() + "-" + code[3..], classroomId, "青山投影机");
        var device = await JsonAssert.StatusAsync(paired, HttpStatusCode.OK);
        Assert.Equal("active", device.GetProperty("status").GetString());
        Assert.Equal("孙主任", device.GetProperty("pairedBy").GetProperty("displayName").GetString());

        var confirmed = await PollAsync(requestId, pollToken);
        Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());
        Assert.Equal(RuralSchool, confirmed.GetProperty("device").GetProperty("schoolName").GetString());
        var token = confirmed.GetProperty("deviceToken").GetString()!;
        var collected = await PollAsync(requestId, pollToken);
        Assert.Equal("collected", collected.GetProperty("status").GetString());
        Assert.False(collected.TryGetProperty("deviceToken", out _));

        using var asDevice = factory.WithToken(token);
        using var mine = await asDevice.GetAsync("/api/devices/me");
        var self = await JsonAssert.StatusAsync(mine, HttpStatusCode.OK);
        Assert.Equal(classroomId, self.GetProperty("classroomId").GetGuid());
        Assert.Equal("青山投影机", self.GetProperty("name").GetString());
        using var me = await asDevice.GetAsync("/api/me");
        var meJson = await JsonAssert.StatusAsync(me, HttpStatusCode.OK);
        Assert.Equal("device", meJson.GetProperty("kind").GetString());
        Assert.Equal(device.GetProperty("id").GetGuid(), meJson.GetProperty("device").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Pair_CodeUsedTwice_SecondIsRefused()
    {
        var (_, code, _) = await CreateRequestAsync();
        var classroomId = await factory.ClassroomIdAsync(RuralSchool);
        using var first = await PairAsync("admin", code, classroomId);
        await JsonAssert.StatusAsync(first, HttpStatusCode.OK);

        using var second = await PairAsync("admin", code, classroomId);

        await JsonAssert.ErrorAsync(second, HttpStatusCode.NotFound, "pairing_code_invalid");
    }

    [Fact]
    public async Task Pair_CodeOlderThanTenMinutes_IsRefusedAndThePollSaysExpired()
    {
        var (requestId, code, pollToken) = await CreateRequestAsync();
        factory.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));

        using var response = await PairAsync("admin", code, await factory.ClassroomIdAsync(RuralSchool));

        await JsonAssert.ErrorAsync(response, HttpStatusCode.NotFound, "pairing_code_invalid");
        Assert.Equal("expired", (await PollAsync(requestId, pollToken)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Poll_WrongOrMissingPollToken_IsRefused()
    {
        var (requestId, _, _) = await CreateRequestAsync();

        await JsonAssert.ErrorAsync(await factory.Anonymous().GetAsync($"/api/devices/pairing-requests/{requestId}?pollToken=guess"),
            HttpStatusCode.NotFound, "not_found");
        var missing = await JsonAssert.ErrorAsync(await factory.Anonymous().GetAsync($"/api/devices/pairing-requests/{requestId}"),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("required", missing.GetProperty("fields").GetProperty("pollToken").GetString());
    }

    [Fact]
    public async Task Pair_AdminOfAnotherSchoolOrTeacher_IsForbiddenAndTheCodeStaysUsable()
    {
        var (requestId, code, pollToken) = await CreateRequestAsync();
        var ruralClassroom = await factory.ClassroomIdAsync(RuralSchool);

        // schooladmin administers the urban school only.
        await JsonAssert.ErrorAsync(await PairAsync("schooladmin", code, ruralClassroom), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await PairAsync("assistant1", code, ruralClassroom), HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal("pending", (await PollAsync(requestId, pollToken)).GetProperty("status").GetString());
        using var ok = await PairAsync("schooladmin", code, await factory.ClassroomIdAsync("示范县第一实验小学"));
        await JsonAssert.StatusAsync(ok, HttpStatusCode.OK);
    }

    [Fact]
    public async Task Revoke_BySchoolsAdmin_TheSameTokenIsRefusedAtOnce()
    {
        var (token, deviceId) = await PairedDeviceAsync();
        using var asDevice = factory.WithToken(token);
        await JsonAssert.StatusAsync(await asDevice.GetAsync("/api/devices/me"), HttpStatusCode.OK);

        using var admin = await factory.ClientForAsync("admin");
        using var revoke = await admin.PostAsync($"/api/devices/{deviceId}/revoke", null);

        Assert.Equal("revoked", (await JsonAssert.StatusAsync(revoke, HttpStatusCode.OK)).GetProperty("status").GetString());
        await JsonAssert.ErrorAsync(await asDevice.GetAsync("/api/devices/me"), HttpStatusCode.Unauthorized, "unauthorized");
        await JsonAssert.ErrorAsync(await asDevice.GetAsync("/api/me"), HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Revoke_AdminOfAnotherSchool_IsForbidden()
    {
        var (token, deviceId) = await PairedDeviceAsync();
        using var other = await factory.ClientForAsync("schooladmin");

        await JsonAssert.ErrorAsync(await other.PostAsync($"/api/devices/{deviceId}/revoke", null), HttpStatusCode.Forbidden, "forbidden");

        await JsonAssert.StatusAsync(await factory.WithToken(token).GetAsync("/api/devices/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task List_CountyAdminSeesTheDeviceWithLastSeen_SchoolAdminOfAnotherSchoolDoesNot()
    {
        var (token, deviceId) = await PairedDeviceAsync();
        await JsonAssert.StatusAsync(await factory.WithToken(token).GetAsync("/api/devices/me"), HttpStatusCode.OK);
        var school = await factory.OrganisationIdAsync(RuralSchool);

        using var county = await factory.ClientForAsync("admin");
        var list = await JsonAssert.StatusAsync(await county.GetAsync($"/api/devices?schoolId={school}"), HttpStatusCode.OK);
        var entry = list.GetProperty("devices").EnumerateArray().Single(d => d.GetProperty("id").GetGuid() == deviceId);
        Assert.Equal(JsonValueKind.String, entry.GetProperty("lastSeenAt").ValueKind);

        using var other = await factory.ClientForAsync("schooladmin");
        await JsonAssert.ErrorAsync(await other.GetAsync($"/api/devices?schoolId={school}"), HttpStatusCode.Forbidden, "forbidden");
        var own = await JsonAssert.StatusAsync(await other.GetAsync("/api/devices"), HttpStatusCode.OK);
        Assert.DoesNotContain(own.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetGuid() == deviceId);
        using var teacher = await factory.ClientForAsync("teacher");
        await JsonAssert.ErrorAsync(await teacher.GetAsync("/api/devices"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task DeviceToken_OnAdminApis_IsForbidden()
    {
        var (token, _) = await PairedDeviceAsync();
        using var asDevice = factory.WithToken(token);

        await JsonAssert.ErrorAsync(await asDevice.GetAsync("/api/people"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await asDevice.GetAsync("/api/devices"), HttpStatusCode.Forbidden, "forbidden");
        var (_, code, _) = await CreateRequestAsync();
        using var pair = await asDevice.PostAsJsonAsync("/api/devices/pair",
            new { code, classroomId = await factory.ClassroomIdAsync(RuralSchool), name = "x" });
        await JsonAssert.ErrorAsync(pair, HttpStatusCode.Forbidden, "forbidden");
    }
}
