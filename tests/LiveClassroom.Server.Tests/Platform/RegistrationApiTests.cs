using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Platform;

public sealed class RegistrationApiTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private const string Password = "applicant-password-1";

    private async Task<JsonElement> RegisterTeacherAsync(string username, string school = "示范县第一实验小学", object? extra = null)
    {
        using var anon = factory.Anonymous();
        var schoolId = await factory.OrganisationIdAsync(school);
        using var response = await anon.PostAsJsonAsync("/api/registrations", extra ?? new
        {
            kind = "teacher", parentId = schoolId, username, password = Password, displayName = "李明", phone = "138 0013 8000",
            subject = "音乐", stage = "小学",
        });
        return await JsonAssert.StatusAsync(response, HttpStatusCode.Created);
    }

    private async Task<JsonElement> LoginJsonAsync(string username, string password = Password)
    {
        using var anon = factory.Anonymous();
        using var response = await anon.PostAsJsonAsync("/api/auth/login", new { username, password });
        return await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
    }

    private static bool QueueHas(JsonElement list, Guid id) =>
        list.GetProperty("items").EnumerateArray().Any(r => r.GetProperty("id").GetGuid() == id);

    [Fact]
    public async Task Teacher_PendingUntilTheSchoolAdminApproves_ThenSignsInWithTheRole()
    {
        var registration = await RegisterTeacherAsync("reg.teacher1");
        var id = registration.GetProperty("id").GetGuid();
        Assert.Equal("pending", registration.GetProperty("status").GetString());
        Assert.Equal("13800138000", registration.GetProperty("phone").GetString());
        Assert.Equal("primary", registration.GetProperty("stage").GetString());
        Assert.Equal("lead_teacher", registration.GetProperty("role").GetString());

        var login = await LoginJsonAsync("reg.teacher1");
        Assert.Equal("pending", login.GetProperty("accountStatus").GetString());
        Assert.Empty(login.GetProperty("person").GetProperty("roles").EnumerateArray());
        using var pending = factory.WithToken(login.GetProperty("token").GetString()!);
        var mine = await JsonAssert.StatusAsync(await pending.GetAsync("/api/registrations/mine"), HttpStatusCode.OK);
        Assert.Equal("pending", mine.GetProperty("items")[0].GetProperty("status").GetString());

        // The county admin administers the school but is not the level that decides a teacher.
        using var county = await factory.ClientForAsync("admin");
        Assert.False(QueueHas(await JsonAssert.StatusAsync(await county.GetAsync("/api/registrations"), HttpStatusCode.OK), id));
        await JsonAssert.ErrorAsync(await county.PostAsync($"/api/registrations/{id}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        using var otherSchool = await factory.ClientForAsync("schooladmin1");
        await JsonAssert.ErrorAsync(await otherSchool.PostAsync($"/api/registrations/{id}/approve", null), HttpStatusCode.Forbidden, "forbidden");

        using var schoolAdmin = await factory.ClientForAsync("schooladmin");
        Assert.True(QueueHas(await JsonAssert.StatusAsync(await schoolAdmin.GetAsync("/api/registrations"), HttpStatusCode.OK), id));
        var approved = await JsonAssert.StatusAsync(await schoolAdmin.PostAsync($"/api/registrations/{id}/approve", null), HttpStatusCode.OK);
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        await JsonAssert.ErrorAsync(await schoolAdmin.PostAsync($"/api/registrations/{id}/approve", null), HttpStatusCode.Conflict, "already_decided");

        var again = await LoginJsonAsync("reg.teacher1");
        Assert.Equal("active", again.GetProperty("accountStatus").GetString());
        var role = Assert.Single(again.GetProperty("person").GetProperty("roles").EnumerateArray());
        Assert.Equal("lead_teacher", role.GetProperty("role").GetString());
        using var active = factory.WithToken(again.GetProperty("token").GetString()!);
        await JsonAssert.StatusAsync(await active.GetAsync("/api/organisations"), HttpStatusCode.OK);
        var audit = await JsonAssert.StatusAsync(
            await schoolAdmin.GetAsync($"/api/audit?organisationId={await factory.OrganisationIdAsync("示范县第一实验小学")}"), HttpStatusCode.OK);
        Assert.Contains(audit.GetProperty("items").EnumerateArray(),
            e => e.GetProperty("action").GetString() == "registration.approve" && e.GetProperty("targetId").GetGuid() == id);
    }

    [Theory]
    [InlineData("GET", "/api/organisations")]
    [InlineData("GET", "/api/people")]
    [InlineData("GET", "/api/registrations")]
    [InlineData("GET", "/api/library/resources")]
    [InlineData("POST", "/hubs/classroom/negotiate?negotiateVersion=1")]
    public async Task PendingToken_AnyOtherEndpointOrHub_Returns403AccountPending(string method, string path)
    {
        var username = ("reg.p" + Guid.NewGuid().ToString("N"))[..20];
        await RegisterTeacherAsync(username);
        var login = await LoginJsonAsync(username);
        using var client = factory.WithToken(login.GetProperty("token").GetString()!);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "account_pending");
    }

    [Fact]
    public async Task Reject_WithoutReason400_WithReasonApplicantSeesItAndStaysLockedOut()
    {
        var id = (await RegisterTeacherAsync("reg.rejected")).GetProperty("id").GetGuid();
        using var schoolAdmin = await factory.ClientForAsync("schooladmin");

        var missing = await JsonAssert.ErrorAsync(
            await schoolAdmin.PostAsJsonAsync($"/api/registrations/{id}/reject", new { reason = "  " }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal("required", missing.GetProperty("fields").GetProperty("reason").GetString());
        await JsonAssert.StatusAsync(await schoolAdmin.PostAsJsonAsync($"/api/registrations/{id}/reject", new { reason = "本校无此教师" }), HttpStatusCode.OK);

        var login = await LoginJsonAsync("reg.rejected");
        Assert.Equal("rejected", login.GetProperty("accountStatus").GetString());
        using var client = factory.WithToken(login.GetProperty("token").GetString()!);
        var mine = await JsonAssert.StatusAsync(await client.GetAsync("/api/registrations/mine"), HttpStatusCode.OK);
        Assert.Equal("本校无此教师", mine.GetProperty("items")[0].GetProperty("reason").GetString());
        Assert.Equal("rejected", mine.GetProperty("items")[0].GetProperty("status").GetString());
        await JsonAssert.ErrorAsync(await client.GetAsync("/api/organisations"), HttpStatusCode.Forbidden, "account_pending");
    }

    [Fact]
    public async Task School_ApprovedByItsCountyAdmin_IsCreatedAndTheApplicantAdministersIt()
    {
        var county = await factory.OrganisationIdAsync("示范县");
        using var anon = factory.Anonymous();
        var body = new { kind = "school", parentId = county, username = "reg.principal", password = Password, displayName = "赵校长",
            phone = "13900000001", organisationName = "柳树湾小学", isRural = true };
        var created = await JsonAssert.StatusAsync(await anon.PostAsJsonAsync("/api/registrations", body), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        // The same name again while the first application waits, and an existing school's name, are both refused.
        var twice = await JsonAssert.ErrorAsync(await anon.PostAsJsonAsync("/api/registrations", body with { username = "reg.principal2" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("taken", twice.GetProperty("fields").GetProperty("organisationName").GetString());
        var existing = await JsonAssert.ErrorAsync(
            await anon.PostAsJsonAsync("/api/registrations", body with { username = "reg.principal3", organisationName = "青山村小学" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("taken", existing.GetProperty("fields").GetProperty("organisationName").GetString());

        using var schoolAdmin = await factory.ClientForAsync("schooladmin");
        await JsonAssert.ErrorAsync(await schoolAdmin.PostAsync($"/api/registrations/{id}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        using var admin = await factory.ClientForAsync("admin");
        var approved = await JsonAssert.StatusAsync(await admin.PostAsync($"/api/registrations/{id}/approve", null), HttpStatusCode.OK);
        var schoolId = approved.GetProperty("createdOrganisationId").GetGuid();

        var login = await LoginJsonAsync("reg.principal");
        var person = login.GetProperty("person");
        Assert.Equal(schoolId, person.GetProperty("organisationId").GetGuid());
        var role = Assert.Single(person.GetProperty("roles").EnumerateArray());
        Assert.Equal(("school_admin", schoolId), (role.GetProperty("role").GetString(), role.GetProperty("organisationId").GetGuid()));
        using var principal = factory.WithToken(login.GetProperty("token").GetString()!);
        using var room = await principal.PostAsJsonAsync($"/api/organisations/{schoolId}/classrooms", new { name = "多媒体教室" });
        await JsonAssert.StatusAsync(room, HttpStatusCode.Created);
        var audit = await JsonAssert.StatusAsync(await admin.GetAsync($"/api/audit?organisationId={county}"), HttpStatusCode.OK);
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "registration.approve");
    }

    [Fact]
    public async Task County_GoesToTheCityAdminsQueue_NotTheCountyAdmins()
    {
        var city = await factory.OrganisationIdAsync("示范市");
        using var anon = factory.Anonymous();
        var created = await JsonAssert.StatusAsync(await anon.PostAsJsonAsync("/api/registrations", new
        {
            kind = "county", parentId = city, username = "reg.county", password = Password, displayName = "钱局长", phone = "13900000002",
            organisationName = "新设县",
        }), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        using var countyAdmin = await factory.ClientForAsync("admin");
        Assert.False(QueueHas(await JsonAssert.StatusAsync(await countyAdmin.GetAsync("/api/registrations"), HttpStatusCode.OK), id));
        await JsonAssert.ErrorAsync(await countyAdmin.PostAsync($"/api/registrations/{id}/approve", null), HttpStatusCode.Forbidden, "forbidden");
        using var teacher = await factory.ClientForAsync("teacher");
        await JsonAssert.ErrorAsync(await teacher.GetAsync("/api/registrations"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Register_BadInput_NamesEveryFieldAndCreatesNoAccount()
    {
        var county = await factory.OrganisationIdAsync("示范县");
        using var anon = factory.Anonymous();

        var json = await JsonAssert.ErrorAsync(await anon.PostAsJsonAsync("/api/registrations", new
        {
            kind = "teacher", parentId = county, username = "Bad Name", password = "short", displayName = "", phone = "12ab", stage = "大学",
        }), HttpStatusCode.BadRequest, "validation");

        var fields = json.GetProperty("fields");
        Assert.Equal("wrong_kind", fields.GetProperty("parentId").GetString());
        Assert.Equal("invalid_format", fields.GetProperty("username").GetString());
        Assert.Equal("too_short", fields.GetProperty("password").GetString());
        Assert.Equal("required", fields.GetProperty("displayName").GetString());
        Assert.Equal("invalid_format", fields.GetProperty("phone").GetString());
        Assert.Equal("required", fields.GetProperty("subject").GetString());
        Assert.Equal("invalid", fields.GetProperty("stage").GetString());
        await JsonAssert.ErrorAsync(await anon.PostAsync("/api/registrations", JsonContent.Create("x")), HttpStatusCode.BadRequest, "bad_request");
        var taken = await JsonAssert.ErrorAsync(await anon.PostAsJsonAsync("/api/registrations", new
        {
            kind = "teacher", parentId = await factory.OrganisationIdAsync("青山村小学"), username = "teacher", password = Password,
            displayName = "王芳", staffNumber = "T001", subject = "语文", stage = "primary",
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal("taken", taken.GetProperty("fields").GetProperty("username").GetString());
    }

    [Fact]
    public async Task Directory_Anonymous_ListsTheTreeForPicking()
    {
        using var anon = factory.Anonymous();
        var json = await JsonAssert.StatusAsync(await anon.GetAsync("/api/registrations/organisations"), HttpStatusCode.OK);
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("province", items[0].GetProperty("kind").GetString());
        Assert.True(items.Single(i => i.GetProperty("name").GetString() == "青山村小学").GetProperty("isRural").GetBoolean());
    }

    [Fact]
    public async Task Organisations_DuplicateNameUnderOneParent_Refused()
    {
        using var admin = await factory.ClientForAsync("admin");
        var county = await factory.OrganisationIdAsync("示范县");

        var json = await JsonAssert.ErrorAsync(
            await admin.PostAsJsonAsync("/api/organisations", new { parentId = county, kind = "school", name = "河口乡中心小学" }),
            HttpStatusCode.BadRequest, "validation");

        Assert.Equal("taken", json.GetProperty("fields").GetProperty("name").GetString());
        var rural = await factory.OrganisationIdAsync("石桥镇小学");
        var rename = await JsonAssert.ErrorAsync(await admin.PatchAsJsonAsync($"/api/organisations/{rural}", new { name = "青山村小学" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("taken", rename.GetProperty("fields").GetProperty("name").GetString());
    }
}
