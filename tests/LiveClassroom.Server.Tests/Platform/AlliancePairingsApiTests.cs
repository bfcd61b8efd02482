using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveClassroom.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using static LiveClassroom.Server.Tests.Platform.CeHoursFixtures;

namespace LiveClassroom.Server.Tests.Platform;

/// <summary>Pairings an alliance schedules among its member schools, and class orders seen across an alliance (docs/API-PLATFORM.md).</summary>
public sealed partial class AlliancePairingsApiTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private const string LeadSchool = "示范县第一实验小学";

    private static object Term(Guid? lead, Guid? teacher, params Guid[] rural) => new
    {
        leadClassroomId = lead, leadTeacherId = teacher, ruralClassroomIds = rural, subject = "数学", grade = "三年级", textbookEdition = "人教版",
        termName = "2027 春季学期", termStart = "2027-03-01", termEnd = "2027-03-31",
        slots = new[] { new { day = 1, start = "09:00", durationMinutes = 40 }, new { day = 3, start = "10:00", durationMinutes = 40 } },
    };

    /// <summary>Applies for an alliance at <paramref name="level"/> as the chief; certified by <paramref name="certifier"/> unless null.</summary>
    private async Task<Guid> AllianceAsync(string chiefUsername, string level, Guid chief, Guid[] experts, Guid[] core, string? certifier)
    {
        using var proposer = await factory.ClientForAsync(chiefUsername);
        var body = await JsonAssert.StatusAsync(await proposer.PostAsJsonAsync("/api/alliances", new
        {
            organisationId = await factory.OrganisationIdAsync(level), name = $"结对联盟{chiefUsername}", subject = "数学", stage = "primary",
            plan = "送教结对", chiefId = chief, expertIds = experts, coreIds = core,
        }), HttpStatusCode.Created);
        var id = body.GetProperty("id").GetGuid();
        if (certifier is not null)
        {
            using var admin = await factory.ClientForAsync(certifier);
            await JsonAssert.StatusAsync(await admin.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.OK);
        }
        return id;
    }

    private async Task<Guid> PersonAsync(string username) => (Guid)(await ScalarAsync("SELECT id FROM people WHERE username = @u", ("u", username)))!;

    private static async Task<bool> OnTimetableAsync(HttpClient client, string pairingId)
    {
        var lessons = await JsonAssert.StatusAsync(await client.GetAsync("/api/me/lessons?date=2027-03-01"), HttpStatusCode.OK);
        return lessons.EnumerateArray().Any(l => l.GetProperty("pairingId").GetString() == pairingId);
    }

    [Fact]
    public async Task Pairing_WithinOneCounty_IsDefinedAtOnceAndOnBothSidesTimetables()
    {
        var chief = await TeacherAsync(factory, LeadSchool, "ap_chief_one", "结对首席");
        var expert = await TeacherAsync(factory, LeadSchool, "ap_expert_one", "结对专家");
        var rural = await TeacherAsync(factory, "青山村小学", "ap_rural_one", "村小教师", "assistant_teacher");
        var id = await AllianceAsync("ap_chief_one", "示范县", chief, [expert, await PersonAsync("researcher")], [rural], "admin");
        using var chiefClient = await factory.ClientForAsync("ap_chief_one");

        var created = await JsonAssert.StatusAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/pairings",
            Term(await factory.ClassroomIdAsync(LeadSchool), chief, await factory.ClassroomIdAsync("青山村小学"))), HttpStatusCode.Created);
        Assert.Equal(("confirmed", false), (created.GetProperty("status").GetString(), created.GetProperty("crossCounty").GetBoolean()));
        var pairingId = created.GetProperty("pairingId").GetString()!;

        // March 2027: 5 Mondays and 5 Wednesdays, on the pairing grain; the lead teacher's and the rural teacher's day both hold it.
        using var county = await factory.ClientForAsync("admin");
        Assert.Equal(10, (await JsonAssert.StatusAsync(await county.GetAsync($"/api/pairings/{pairingId}/lessons"), HttpStatusCode.OK)).GetArrayLength());
        Assert.True(await OnTimetableAsync(chiefClient, pairingId));
        using var ruralClient = await factory.ClientForAsync("ap_rural_one");
        Assert.True(await OnTimetableAsync(ruralClient, pairingId));
        using var other = await factory.ClientForAsync("assistant2");
        Assert.False(await OnTimetableAsync(other, pairingId));

        var detail = await JsonAssert.StatusAsync(await ruralClient.GetAsync($"/api/alliances/{id}"), HttpStatusCode.OK);
        var listed = detail.GetProperty("pairings").EnumerateArray().Single();
        Assert.Equal((pairingId, "青山村小学"), (listed.GetProperty("pairingId").GetString(),
            listed.GetProperty("rural").EnumerateArray().Single().GetProperty("schoolName").GetString()));
        Assert.False(detail.GetProperty("canSchedulePairing").GetBoolean());
        Assert.Equal(JsonValueKind.Null, detail.GetProperty("pairingOptions").ValueKind);
        var chiefView = await JsonAssert.StatusAsync(await chiefClient.GetAsync($"/api/alliances/{id}"), HttpStatusCode.OK);
        Assert.True(chiefView.GetProperty("canSchedulePairing").GetBoolean());
        Assert.Contains(chiefView.GetProperty("pairingOptions").GetProperty("teachers").EnumerateArray(), t => t.GetProperty("personId").GetGuid() == chief);
        Assert.Equal(1L, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = 'alliance.pairing_schedule' AND target_id = @id", ("id", id)));
    }

    [Fact]
    public async Task SchedulePairing_RightsAndBadInput_RefusedFieldByField_NothingLeftBehind()
    {
        var chief = await TeacherAsync(factory, LeadSchool, "ap_chief_bad", "首席乙");
        var expert = await TeacherAsync(factory, LeadSchool, "ap_expert_bad", "专家乙");
        var core = await TeacherAsync(factory, "青山村小学", "ap_core_bad", "核心乙", "assistant_teacher");
        var outsider = await TeacherAsync(factory, LeadSchool, "ap_out_bad", "盟外乙");
        var id = await AllianceAsync("ap_chief_bad", "示范县", chief, [expert, await PersonAsync("researcher")], [core], null);
        using var chiefClient = await factory.ClientForAsync("ap_chief_bad");
        using var expertClient = await factory.ClientForAsync("ap_expert_bad");
        using var coreClient = await factory.ClientForAsync("ap_core_bad");
        using var county = await factory.ClientForAsync("admin");
        var lead = await factory.ClassroomIdAsync(LeadSchool);
        var qingshan = await factory.ClassroomIdAsync("青山村小学");
        var hekou = await factory.ClassroomIdAsync("河口乡中心小学");
        var pairingsBefore = await CountAsync(factory, "SELECT count(*) FROM grain_state WHERE kind <> 'classroom'");

        // Not before certification; then only the chief and the experts — not a core member, not the level's admin.
        await JsonAssert.ErrorAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/pairings", Term(lead, chief, qingshan)), HttpStatusCode.Conflict, "not_open");
        await JsonAssert.StatusAsync(await county.PostAsync($"/api/alliances/{id}/certify", null), HttpStatusCode.OK);
        await JsonAssert.ErrorAsync(await coreClient.PostAsJsonAsync($"/api/alliances/{id}/pairings", Term(lead, chief, qingshan)), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await county.PostAsJsonAsync($"/api/alliances/{id}/pairings", Term(lead, chief, qingshan)), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{Guid.NewGuid()}/pairings", Term(lead, chief, qingshan)),
            HttpStatusCode.NotFound, "not_found");

        // Malformed input names every field.
        var empty = await JsonAssert.ErrorAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/pairings", new
        {
            subject = "", termStart = "2027-3-1", termEnd = "2027-02-01", slots = new[] { new { day = 9, start = "09:00", durationMinutes = 40 } },
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(["grade", "leadClassroomId", "leadTeacherId", "ruralClassroomIds", "slots[0].day", "subject", "termName", "termStart", "textbookEdition"],
            empty.GetProperty("fields").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var twice = await JsonAssert.ErrorAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/pairings", Term(lead, chief, qingshan, lead)),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("duplicate", twice.GetProperty("fields").GetProperty("ruralClassroomIds").GetString());

        // Rights over what is named, field by field: the lead teacher must be a member teaching at the lead classroom's
        // school; a rural classroom must be a member school's, and rural.
        var rooms = await JsonAssert.ErrorAsync(await expertClient.PostAsJsonAsync($"/api/alliances/{id}/pairings", Term(qingshan, chief, lead, hekou)),
            HttpStatusCode.BadRequest, "validation");
        var fields = rooms.GetProperty("fields");
        Assert.Equal(("not_member_teacher", "not_rural", "not_member_school"), (fields.GetProperty("leadTeacherId").GetString(),
            fields.GetProperty("ruralClassroomIds[0]").GetString(), fields.GetProperty("ruralClassroomIds[1]").GetString()));
        var notMember = await JsonAssert.ErrorAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/pairings", Term(lead, outsider, qingshan)),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("not_member_teacher", notMember.GetProperty("fields").GetProperty("leadTeacherId").GetString());
        var unknown = await JsonAssert.ErrorAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/pairings", Term(Guid.NewGuid(), chief, qingshan)),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("not_member_school", unknown.GetProperty("fields").GetProperty("leadClassroomId").GetString());

        Assert.Equal(0L, await CountAsync(factory, "SELECT count(*) FROM alliance_pairings WHERE alliance_id = @id", ("id", id)));
        Assert.Equal(0L, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = 'alliance.pairing_schedule' AND target_id = @id", ("id", id)));
        Assert.Equal(pairingsBefore, await CountAsync(factory, "SELECT count(*) FROM grain_state WHERE kind <> 'classroom'"));

        // An expert may schedule what the chief may.
        await JsonAssert.StatusAsync(await expertClient.PostAsJsonAsync($"/api/alliances/{id}/pairings", Term(lead, chief, qingshan)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Pairing_AcrossCounties_WaitsForTheRuralCountysAdmin_AndMemberSchoolsSeeEachOthersOrders()
    {
        var (farSchool, farClassroom) = await FarSchoolAsync("ap_far", member: true);
        var (otherSchool, _) = await FarSchoolAsync("ap_far_other", member: false);
        var chief = await PersonAsync("ap_far_teacher");
        var expert = await TeacherAsync(factory, LeadSchool, "ap_expert_far", "专家丙");
        var hekouTeacher = await PersonAsync("assistant2");
        await CityAdminAsync("ap_city");
        var id = await AllianceAsync("ap_far_teacher", "示范市", chief, [expert, await PersonAsync("researcher")], [hekouTeacher], "ap_city");
        using var chiefClient = await factory.ClientForAsync("ap_far_teacher");
        var hekou = await factory.ClassroomIdAsync("河口乡中心小学");

        var created = await JsonAssert.StatusAsync(await chiefClient.PostAsJsonAsync($"/api/alliances/{id}/pairings", Term(farClassroom, chief, hekou)),
            HttpStatusCode.Created);
        Assert.Equal(("pending", true, JsonValueKind.Null), (created.GetProperty("status").GetString(), created.GetProperty("crossCounty").GetBoolean(),
            created.GetProperty("pairingId").ValueKind));
        var pid = created.GetProperty("id").GetGuid();

        // The lead's county admin and the chief cannot confirm; the rural classroom's county admin does, once.
        using var farCounty = await factory.ClientForAsync("ap_far_county");
        using var county = await factory.ClientForAsync("admin");
        await JsonAssert.ErrorAsync(await farCounty.PostAsync($"/api/alliances/{id}/pairings/{pid}/confirm", null), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await chiefClient.PostAsync($"/api/alliances/{id}/pairings/{pid}/confirm", null), HttpStatusCode.Forbidden, "forbidden");
        var seen = await JsonAssert.StatusAsync(await county.GetAsync($"/api/alliances/{id}"), HttpStatusCode.OK);
        Assert.True(seen.GetProperty("pairings").EnumerateArray().Single().GetProperty("canConfirm").GetBoolean());
        var confirmed = await JsonAssert.StatusAsync(await county.PostAsync($"/api/alliances/{id}/pairings/{pid}/confirm", null), HttpStatusCode.OK);
        var pairingId = confirmed.GetProperty("pairingId").GetString()!;
        await JsonAssert.ErrorAsync(await county.PostAsync($"/api/alliances/{id}/pairings/{pid}/confirm", null), HttpStatusCode.Conflict, "wrong_state");
        Assert.Equal(10, (await JsonAssert.StatusAsync(await county.GetAsync($"/api/pairings/{pairingId}/lessons"), HttpStatusCode.OK)).GetArrayLength());
        using var hekouClient = await factory.ClientForAsync("assistant2");
        Assert.True(await OnTimetableAsync(hekouClient, pairingId));
        Assert.True(await OnTimetableAsync(chiefClient, pairingId));
        Assert.Equal(1L, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = 'alliance.pairing_confirm' AND target_id = @id", ("id", id)));

        // Class orders in alliance scope: the far member school sees and accepts an order of 河口乡 (another county); a
        // school of that county outside the alliance does not see it; 示范县's admin confirms as for any order.
        using var ordering = await factory.ClientForAsync("schooladmin2");
        var order = await JsonAssert.StatusAsync(await ordering.PostAsJsonAsync("/api/class-orders", new
        {
            ruralClassroomId = hekou, subject = "音乐", grade = "四年级", textbookEdition = "人音版", termName = "2027 春季学期",
            termStart = "2027-03-01", termEnd = "2027-03-31", slots = new[] { new { day = 2, start = "14:00", durationMinutes = 40 } },
        }), HttpStatusCode.Created);
        var orderId = order.GetProperty("id").GetGuid();
        using var farAdmin = await factory.ClientForAsync("ap_far_admin");
        using var otherAdmin = await factory.ClientForAsync("ap_far_other_admin");
        var farOpen = await JsonAssert.StatusAsync(await farAdmin.GetAsync("/api/class-orders?status=open"), HttpStatusCode.OK);
        Assert.Contains(farOpen.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetGuid() == orderId);
        var otherOpen = await JsonAssert.StatusAsync(await otherAdmin.GetAsync("/api/class-orders?status=open"), HttpStatusCode.OK);
        Assert.DoesNotContain(otherOpen.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetGuid() == orderId);
        await JsonAssert.ErrorAsync(await otherAdmin.PostAsJsonAsync($"/api/class-orders/{orderId}/accept",
            new { leadClassroomId = farClassroom, leadTeacherId = chief }), HttpStatusCode.NotFound, "not_found");
        await JsonAssert.StatusAsync(await farAdmin.PostAsJsonAsync($"/api/class-orders/{orderId}/accept",
            new { leadClassroomId = farClassroom, leadTeacherId = chief }), HttpStatusCode.OK);
        await JsonAssert.ErrorAsync(await farCounty.PostAsync($"/api/class-orders/{orderId}/confirm", null), HttpStatusCode.NotFound, "not_found");
        var orderConfirmed = await JsonAssert.StatusAsync(await county.PostAsync($"/api/class-orders/{orderId}/confirm", null), HttpStatusCode.OK);
        Assert.Equal(farSchool, orderConfirmed.GetProperty("leadSchoolId").GetGuid());
        Assert.NotEqual(Guid.Empty, otherSchool);
    }

    /// <summary>
    /// An urban school with one classroom in a county beside 示范县 (its admin <c>{tag}_county</c> made once), with a school
    /// admin <c>{tag}_admin</c> and, for a member school, a lead teacher <c>{tag}_teacher</c>.
    /// </summary>
    private async Task<(Guid School, Guid Classroom)> FarSchoolAsync(string tag, bool member)
    {
        var county = await ScalarAsync("SELECT o.id FROM organisations o JOIN person_roles r ON r.organisation_id = o.id JOIN people p ON p.id = r.person_id WHERE p.username = 'ap_far_county'")
            is Guid existing ? existing : await OtherCountyAdminAsync(factory, "ap_far_county");
        var school = Guid.NewGuid();
        var classroom = Guid.NewGuid();
        await ExecAsync("INSERT INTO organisations (id, parent_id, kind, name) VALUES (@id, @c, 'school', @n)", ("id", school), ("c", county), ("n", $"远县实验小学{tag}"));
        await ExecAsync("INSERT INTO classrooms (id, school_id, name) VALUES (@id, @s, @n)", ("id", classroom), ("s", school), ("n", $"远县录播教室{tag}"));
        await ExecAsync("""
            INSERT INTO people (id, organisation_id, username, display_name, password_hash)
            SELECT @id, @org, @u, '远县校长', password_hash FROM people WHERE username = 'teacher'
            """, ("id", Guid.NewGuid()), ("org", school), ("u", $"{tag}_admin"));
        await ExecAsync("INSERT INTO person_roles (person_id, role, organisation_id) SELECT id, 'school_admin', @o FROM people WHERE username = @u", ("o", school), ("u", $"{tag}_admin"));
        if (member)
        {
            await TeacherAsync(factory, $"远县实验小学{tag}", $"{tag}_teacher", "远县名师");
        }
        await ExecAsync("UPDATE auth_cache_versions SET version = version + 1 WHERE scope = 'organisations'");
        await factory.Services.GetRequiredService<AuthStateRefresher>().RefreshAsync(true, CancellationToken.None);
        return (school, classroom);
    }

    private async Task CityAdminAsync(string username)
    {
        var city = await factory.OrganisationIdAsync("示范市");
        await ExecAsync("""
            INSERT INTO people (id, organisation_id, username, display_name, password_hash)
            SELECT @id, @org, @u, '市教研主任', password_hash FROM people WHERE username = 'teacher'
            """, ("id", Guid.NewGuid()), ("org", city), ("u", username));
        await ExecAsync("INSERT INTO person_roles (person_id, role, organisation_id) SELECT id, 'city_admin', @o FROM people WHERE username = @u", ("o", city), ("u", username));
    }

    private async Task ExecAsync(string sql, params (string Name, object Value)[] args)
    {
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string sql, params (string Name, object Value)[] args)
    {
        factory.EnsureStarted();
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        return await cmd.ExecuteScalarAsync();
    }
}
