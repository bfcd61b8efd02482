using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static LiveClassroom.Server.Tests.Platform.CeHoursFixtures;

namespace LiveClassroom.Server.Tests.Platform;

/// <summary>A pending pairing rejected by the rural classrooms' county or withdrawn by who proposed it (docs/API-PLATFORM.md).</summary>
public sealed partial class AlliancePairingsApiTests
{
    /// <summary>
    /// A certified 示范市 alliance whose chief teaches at a far county's member school (<c>{tag}_teacher</c>), with a new
    /// expert of 示范县's lead school (<c>{tag}_expert</c>), the county researcher, and 赵敏 (河口乡, assistant2) as core.
    /// A pairing of the far classroom with 河口乡's crosses counties, so it waits for 示范县's admin.
    /// </summary>
    private async Task<(Guid Alliance, Guid Chief, Guid Expert, Guid FarClassroom, Guid Hekou)> CityAllianceAsync(string tag)
    {
        var (_, farClassroom) = await FarSchoolAsync(tag, member: true);
        var chief = await PersonAsync($"{tag}_teacher");
        var expert = await TeacherAsync(factory, LeadSchool, $"{tag}_expert", $"专家{tag}");
        await CityAdminAsync($"{tag}_city");
        var id = await AllianceAsync($"{tag}_teacher", "示范市", chief, [expert, await PersonAsync("researcher")], [await PersonAsync("assistant2")],
            $"{tag}_city");
        return (id, chief, expert, farClassroom, await factory.ClassroomIdAsync("河口乡中心小学"));
    }

    private static async Task<JsonElement> PendingAsync(HttpClient proposer, Guid alliance, Guid farClassroom, Guid teacher, Guid hekou)
    {
        var created = await JsonAssert.StatusAsync(await proposer.PostAsJsonAsync($"/api/alliances/{alliance}/pairings", Term(farClassroom, teacher, hekou)),
            HttpStatusCode.Created);
        Assert.Equal("pending", created.GetProperty("status").GetString());
        return created;
    }

    private static async Task<JsonElement> ListedAsync(HttpClient client, Guid alliance, Guid pairing)
    {
        var detail = await JsonAssert.StatusAsync(await client.GetAsync($"/api/alliances/{alliance}"), HttpStatusCode.OK);
        return detail.GetProperty("pairings").EnumerateArray().Single(p => p.GetProperty("id").GetGuid() == pairing);
    }

    [Fact]
    public async Task RejectPendingPairing_RuralCountyAdminWithReason_ProposerSeesReason_NothingDefined()
    {
        var (id, chief, _, farClassroom, hekou) = await CityAllianceAsync("ap_rej");
        using var chiefClient = await factory.ClientForAsync("ap_rej_teacher");
        var pid = (await PendingAsync(chiefClient, id, farClassroom, chief, hekou)).GetProperty("id").GetGuid();
        var grainsBefore = await CountAsync(factory, "SELECT count(*) FROM grain_state WHERE kind <> 'classroom'");
        using var county = await factory.ClientForAsync("admin");
        using var farCounty = await factory.ClientForAsync("ap_far_county");
        using var core = await factory.ClientForAsync("assistant2");
        using var city = await factory.ClientForAsync("ap_rej_city");
        var reason = new { reason = "河口乡本学期音乐课已排满，请改到下学期。" };

        // Rights at the rural classrooms' county: the lead's county (a sibling) is refused, so are the proposer and a
        // member; the alliance's own level admin (the city) is above 示范县 and may, but here 示范县's admin decides.
        await JsonAssert.ErrorAsync(await farCounty.PostAsJsonAsync($"/api/alliances/{id}/pairings/{pid}/reject", reason), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/pairings/{pid}/reject", reason), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await core.PostAsJsonAsync($"/api/alliances/{id}/pairings/{pid}/reject", reason), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/pairings/{Guid.NewGuid()}/reject", reason), HttpStatusCode.NotFound, "not_found");
        await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{Guid.NewGuid()}/pairings/{pid}/reject", reason), HttpStatusCode.NotFound, "not_found");
        Assert.True((await ListedAsync(city, id, pid)).GetProperty("canConfirm").GetBoolean());
        Assert.False((await ListedAsync(farCounty, id, pid)).GetProperty("canConfirm").GetBoolean());

        // Bad input: a reason is required, at most 500 characters; a body that is not JSON is refused as such.
        var missing = await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/pairings/{pid}/reject", new { reason = "  " }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("required", missing.GetProperty("fields").GetProperty("reason").GetString());
        var longer = await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/pairings/{pid}/reject", new { reason = new string('长', 501) }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("too_long", longer.GetProperty("fields").GetProperty("reason").GetString());
        await JsonAssert.ErrorAsync(await county.PostAsync($"/api/alliances/{id}/pairings/{pid}/reject",
            new StringContent("{reason:", System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "bad_request");
        Assert.Equal("pending", (await ListedAsync(chiefClient, id, pid)).GetProperty("status").GetString());

        var rejected = await JsonAssert.StatusAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/pairings/{pid}/reject", reason), HttpStatusCode.OK);
        Assert.Equal(("rejected", JsonValueKind.Null, false, false), (rejected.GetProperty("status").GetString(), rejected.GetProperty("pairingId").ValueKind,
            rejected.GetProperty("canConfirm").GetBoolean(), rejected.GetProperty("canCancel").GetBoolean()));

        // The proposer sees the outcome and the reason on the alliance's page; nothing more can be done with it.
        var seen = await ListedAsync(chiefClient, id, pid);
        Assert.Equal(("rejected", reason.reason, "远县名师"), (seen.GetProperty("status").GetString(), seen.GetProperty("reason").GetString(),
            seen.GetProperty("proposedByName").GetString()));
        Assert.NotEqual(JsonValueKind.Null, seen.GetProperty("decidedAt").ValueKind);
        Assert.False(seen.GetProperty("canCancel").GetBoolean());
        await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/pairings/{pid}/reject", reason), HttpStatusCode.Conflict, "wrong_state");
        await JsonAssert.ErrorAsync(await county.PostAsync($"/api/alliances/{id}/pairings/{pid}/confirm", null), HttpStatusCode.Conflict, "wrong_state");
        await JsonAssert.ErrorAsync(await chiefClient.PostAsync($"/api/alliances/{id}/pairings/{pid}/cancel", null), HttpStatusCode.Conflict, "wrong_state");

        // No pairing, no timetable; one audit entry naming the reason.
        Assert.Equal(grainsBefore, await CountAsync(factory, "SELECT count(*) FROM grain_state WHERE kind <> 'classroom'"));
        Assert.Equal(0L, await CountAsync(factory, "SELECT count(*) FROM alliance_pairings WHERE id = @p AND pairing_id IS NOT NULL", ("p", pid)));
        Assert.Equal(1L, await CountAsync(factory,
            "SELECT count(*) FROM audit_log WHERE action = 'alliance.pairing_reject' AND target_id = @id AND details->>'reason' = @r AND details->>'alliancePairingId' = @p",
            ("id", id), ("r", reason.reason), ("p", pid.ToString())));
    }

    [Fact]
    public async Task CancelPendingPairing_ProposerOrChief_OthersRefused_ConfirmedOneCannotBeWithdrawn()
    {
        var (id, chief, expert, farClassroom, hekou) = await CityAllianceAsync("ap_can");
        using var chiefClient = await factory.ClientForAsync("ap_can_teacher");
        using var expertClient = await factory.ClientForAsync("ap_can_expert");
        using var researcher = await factory.ClientForAsync("researcher");
        using var core = await factory.ClientForAsync("assistant2");
        using var county = await factory.ClientForAsync("admin");
        using var city = await factory.ClientForAsync("ap_can_city");
        var byExpert = (await PendingAsync(expertClient, id, farClassroom, chief, hekou)).GetProperty("id").GetGuid();
        var byResearcher = (await PendingAsync(researcher, id, farClassroom, chief, hekou)).GetProperty("id").GetGuid();
        // The expert teaches at 示范县's lead school: a pairing of that school with 河口乡 stays in one county, made at once.
        var confirmed = await JsonAssert.StatusAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/pairings",
            Term(await factory.ClassroomIdAsync(LeadSchool), expert, hekou)), HttpStatusCode.Created);
        Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());
        var grainsBefore = await CountAsync(factory, "SELECT count(*) FROM grain_state WHERE kind <> 'classroom'");

        // Who may withdraw: the expert their own proposal, the chief any; not another expert's, not a member, not an admin.
        Assert.True((await ListedAsync(expertClient, id, byExpert)).GetProperty("canCancel").GetBoolean());
        Assert.False((await ListedAsync(expertClient, id, byResearcher)).GetProperty("canCancel").GetBoolean());
        Assert.True((await ListedAsync(chiefClient, id, byResearcher)).GetProperty("canCancel").GetBoolean());
        Assert.False((await ListedAsync(county, id, byExpert)).GetProperty("canCancel").GetBoolean());
        foreach (var refused in new[] { researcher, core, county, city })
        {
            await JsonAssert.ErrorAsync(await refused.PostAsync($"/api/alliances/{id}/pairings/{byExpert}/cancel", null), HttpStatusCode.Forbidden, "forbidden");
        }
        await JsonAssert.ErrorAsync(await expertClient.PostAsync($"/api/alliances/{id}/pairings/{byResearcher}/cancel", null), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await expertClient.PostAsync($"/api/alliances/{id}/pairings/{Guid.NewGuid()}/cancel", null), HttpStatusCode.NotFound, "not_found");

        // A confirmed pairing is not withdrawn this way: a clear 409 to who could have, and the row and its grain stay.
        var refusal = await JsonAssert.ErrorAsync(await chiefClient.PostAsync($"/api/alliances/{id}/pairings/{confirmed.GetProperty("id").GetGuid()}/cancel", null),
            HttpStatusCode.Conflict, "already_confirmed");
        Assert.Contains("已确认", refusal.GetProperty("messageZh").GetString());
        await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/pairings/{confirmed.GetProperty("id").GetGuid()}/reject",
            new { reason = "晚了" }), HttpStatusCode.Conflict, "already_confirmed");
        Assert.Equal("confirmed", (await ListedAsync(chiefClient, id, confirmed.GetProperty("id").GetGuid())).GetProperty("status").GetString());

        var withdrawn = await JsonAssert.StatusAsync(await expertClient.PostAsync($"/api/alliances/{id}/pairings/{byExpert}/cancel", null), HttpStatusCode.OK);
        Assert.Equal(("cancelled", JsonValueKind.Null, false), (withdrawn.GetProperty("status").GetString(), withdrawn.GetProperty("reason").ValueKind,
            withdrawn.GetProperty("canCancel").GetBoolean()));
        await JsonAssert.ErrorAsync(await expertClient.PostAsync($"/api/alliances/{id}/pairings/{byExpert}/cancel", null), HttpStatusCode.Conflict, "wrong_state");
        await JsonAssert.ErrorAsync(await county.PostAsync($"/api/alliances/{id}/pairings/{byExpert}/confirm", null), HttpStatusCode.Conflict, "wrong_state");
        await JsonAssert.StatusAsync(await chiefClient.PostAsync($"/api/alliances/{id}/pairings/{byResearcher}/cancel", null), HttpStatusCode.OK);

        Assert.Equal(grainsBefore, await CountAsync(factory, "SELECT count(*) FROM grain_state WHERE kind <> 'classroom'"));
        Assert.Equal(2L, await CountAsync(factory,
            "SELECT count(*) FROM alliance_pairings WHERE alliance_id = @id AND status = 'cancelled' AND pairing_id IS NULL AND decided_by IS NOT NULL", ("id", id)));
        Assert.Equal(2L, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = 'alliance.pairing_cancel' AND target_id = @id", ("id", id)));
    }

    [Fact]
    public async Task ConfirmAndCancel_AtOnce_OneWins_TheOtherIsRefused_AndTheRowMatchesTheGrain()
    {
        var (id, chief, _, farClassroom, hekou) = await CityAllianceAsync("ap_race");
        using var chiefClient = await factory.ClientForAsync("ap_race_teacher");
        using var county = await factory.ClientForAsync("admin");
        for (var round = 0; round < 3; round++)
        {
            var pid = (await PendingAsync(chiefClient, id, farClassroom, chief, hekou)).GetProperty("id").GetGuid();
            var confirm = county.PostAsync($"/api/alliances/{id}/pairings/{pid}/confirm", null);
            var cancel = chiefClient.PostAsync($"/api/alliances/{id}/pairings/{pid}/cancel", null);
            using var confirmed = await confirm;
            using var cancelled = await cancel;

            // Exactly one of them happened; the other saw it under the row lock and was refused with 409.
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], new[] { confirmed.StatusCode, cancelled.StatusCode }.Order());
            var listed = await ListedAsync(chiefClient, id, pid);
            if (confirmed.StatusCode == HttpStatusCode.OK)
            {
                await JsonAssert.ErrorAsync(cancelled, HttpStatusCode.Conflict, "already_confirmed");
                Assert.Equal("confirmed", listed.GetProperty("status").GetString());
                var lessons = await county.GetAsync($"/api/pairings/{listed.GetProperty("pairingId").GetString()}/lessons");
                Assert.Equal(10, (await JsonAssert.StatusAsync(lessons, HttpStatusCode.OK)).GetArrayLength());
            }
            else
            {
                await JsonAssert.ErrorAsync(confirmed, HttpStatusCode.Conflict, "wrong_state");
                Assert.Equal(("cancelled", JsonValueKind.Null), (listed.GetProperty("status").GetString(), listed.GetProperty("pairingId").ValueKind));
            }
        }
    }
}
