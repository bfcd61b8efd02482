using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Apis;

public sealed class PeopleApiTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private const string UrbanSchool = "示范县第一实验小学";
    private const string RuralSchool = "青山村小学";

    private async Task<Guid> PersonIdAsync(string username)
    {
        factory.EnsureStarted();
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("SELECT id FROM people WHERE username = @u");
        cmd.Parameters.AddWithValue("u", username);
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<HttpResponseMessage> CreateAsync(string asUser, string username, Guid home, params (string Role, Guid Org)[] roles)
    {
        using var client = await factory.ClientForAsync(asUser);
        return await client.PostAsJsonAsync("/api/people", new
        {
            organisationId = home,
            username,
            displayName = "新老师",
            password = "a-good-password",
            roles = roles.Select(r => new { role = r.Role, organisationId = r.Org }).ToArray(),
        });
    }

    [Fact]
    public async Task Create_SchoolAdminAddsATeacherInTheirSchool_TheTeacherCanLogIn()
    {
        var school = await factory.OrganisationIdAsync(UrbanSchool);

        using var response = await CreateAsync("schooladmin", "Teacher.Two", school, ("lead_teacher", school));

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal("teacher.two", json.GetProperty("username").GetString());
        Assert.True(json.GetProperty("isActive").GetBoolean());
        Assert.Equal("lead_teacher", json.GetProperty("roles")[0].GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(await factory.LoginAsync("teacher.two", "a-good-password")));
    }

    [Fact]
    public async Task Create_SchoolAdminGrantsCountyAdmin_Returns403()
    {
        var school = await factory.OrganisationIdAsync(UrbanSchool);
        var county = await factory.OrganisationIdAsync("示范县");

        using var response = await CreateAsync("schooladmin", "sneaky", school, ("county_admin", county));

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Create_SchoolAdminGrantsARoleInAnotherSchool_Returns403()
    {
        var school = await factory.OrganisationIdAsync(UrbanSchool);
        var rural = await factory.OrganisationIdAsync(RuralSchool);

        using var response = await CreateAsync("schooladmin", "sneaky2", school, ("school_admin", rural));

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Create_CountyAdminAddsAnAssistantInARuralSchool_Succeeds()
    {
        var rural = await factory.OrganisationIdAsync(RuralSchool);

        using var response = await CreateAsync("admin", "assistant9", rural, ("assistant_teacher", rural), ("school_admin", rural));

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.Created);
        Assert.Equal(2, json.GetProperty("roles").GetArrayLength());
    }

    [Theory]
    [InlineData("teacher")]
    [InlineData("researcher")]
    public async Task Create_NotAnAdmin_Returns403(string asUser)
    {
        var school = await factory.OrganisationIdAsync(UrbanSchool);

        using var response = await CreateAsync(asUser, "nope-" + asUser, school, ("lead_teacher", school));

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Create_InvalidFields_Returns400WithEveryField()
    {
        var county = await factory.OrganisationIdAsync("示范县");
        using var client = await factory.ClientForAsync("admin");

        using var response = await client.PostAsJsonAsync("/api/people", new
        {
            organisationId = county,
            username = "教师",
            displayName = "",
            password = "short",
            roles = new object[] { new { role = "lead_teacher", organisationId = county }, new { role = "wizard", organisationId = county } },
        });

        var fields = (await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "validation")).GetProperty("fields");
        Assert.Equal("invalid_format", fields.GetProperty("username").GetString());
        Assert.Equal("required", fields.GetProperty("displayName").GetString());
        Assert.Equal("too_short", fields.GetProperty("password").GetString());
        Assert.Equal("wrong_kind", fields.GetProperty("roles[0].role").GetString());
        Assert.Equal("unknown_role", fields.GetProperty("roles[1].role").GetString());
    }

    [Fact]
    public async Task Create_UsernameTaken_Returns400Taken()
    {
        var school = await factory.OrganisationIdAsync(UrbanSchool);

        using var response = await CreateAsync("schooladmin", "teacher", school);

        var json = await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("taken", json.GetProperty("fields").GetProperty("username").GetString());
    }

    [Fact]
    public async Task List_SchoolAdmin_SeesOwnSchoolOnly_AndOtherSchoolIs403()
    {
        using var client = await factory.ClientForAsync("schooladmin");

        var page = await JsonAssert.StatusAsync(await client.GetAsync("/api/people?pageSize=2&page=1"), HttpStatusCode.OK);
        var rural = await factory.OrganisationIdAsync(RuralSchool);
        using var other = await client.GetAsync($"/api/people?organisationId={rural}");

        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
        Assert.True(page.GetProperty("items").GetArrayLength() <= 2);
        var all = await JsonAssert.StatusAsync(await client.GetAsync("/api/people?pageSize=200"), HttpStatusCode.OK);
        var names = all.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("username").GetString()).ToList();
        Assert.Contains("teacher", names);
        Assert.DoesNotContain("assistant1", names);
        Assert.DoesNotContain("admin", names);
        await JsonAssert.ErrorAsync(other, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task List_CountyAdminWithQuery_FindsPeopleAcrossItsSchools()
    {
        using var client = await factory.ClientForAsync("admin");

        var page = await JsonAssert.StatusAsync(await client.GetAsync("/api/people?q=assistant"), HttpStatusCode.OK);

        var names = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("username").GetString()).ToList();
        Assert.Contains("assistant1", names);
        Assert.Contains("assistant2", names);
        Assert.DoesNotContain("teacher", names);
    }

    [Fact]
    public async Task Update_SchoolAdminResetsAPasswordOfTheCountyAdmin_Returns403()
    {
        var admin = await PersonIdAsync("admin");
        using var client = await factory.ClientForAsync("schooladmin");

        using var response = await client.PatchAsJsonAsync($"/api/people/{admin}", new { password = "taken-over-now" });

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Update_DeactivateSelf_Returns400()
    {
        var self = await PersonIdAsync("schooladmin");
        using var client = await factory.ClientForAsync("schooladmin");

        using var response = await client.PatchAsJsonAsync($"/api/people/{self}", new { isActive = false });

        var json = await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("invalid", json.GetProperty("fields").GetProperty("isActive").GetString());
    }

    [Fact]
    public async Task ReplaceRoles_SchoolAdminPromotesSelfToCountyAdmin_Returns403()
    {
        var self = await PersonIdAsync("schooladmin");
        var county = await factory.OrganisationIdAsync("示范县");
        using var client = await factory.ClientForAsync("schooladmin");

        using var response = await client.PutAsJsonAsync($"/api/people/{self}/roles",
            new { roles = new[] { new { role = "county_admin", organisationId = county } } });

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task ReplaceRoles_CountyAdminMakesAnAssistantSchoolAdmin_RolesAreReplacedAndAudited()
    {
        var school = await factory.OrganisationIdAsync("河口乡中心小学");
        var assistant = await PersonIdAsync("assistant2");
        using var client = await factory.ClientForAsync("admin");

        using var response = await client.PutAsJsonAsync($"/api/people/{assistant}/roles", new
        {
            roles = new[] { new { role = "assistant_teacher", organisationId = school }, new { role = "school_admin", organisationId = school } },
        });

        var roles = (await JsonAssert.StatusAsync(response, HttpStatusCode.OK)).GetProperty("roles").EnumerateArray()
            .Select(r => r.GetProperty("role").GetString()!).Order().ToArray();
        Assert.Equal<string>(["assistant_teacher", "school_admin"], roles);
        var audit = await JsonAssert.StatusAsync(await client.GetAsync($"/api/audit?organisationId={school}"), HttpStatusCode.OK);
        var entry = audit.GetProperty("items").EnumerateArray().First(e => e.GetProperty("action").GetString() == "person.roles");
        Assert.Equal(assistant, entry.GetProperty("targetId").GetGuid());
        Assert.Contains($"school_admin@{school}", entry.GetProperty("details").GetProperty("added").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task ReplaceRoles_SchoolAdminGrantsRoleInAnotherSchool_Returns403()
    {
        var teacher = await PersonIdAsync("teacher");
        var urban = await factory.OrganisationIdAsync(UrbanSchool);
        var rural = await factory.OrganisationIdAsync(RuralSchool);
        using var client = await factory.ClientForAsync("schooladmin");

        using var response = await client.PutAsJsonAsync($"/api/people/{teacher}/roles", new
        {
            roles = new[] { new { role = "lead_teacher", organisationId = urban }, new { role = "assistant_teacher", organisationId = rural } },
        });

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task ReplaceRoles_ChangedRoles_EndTheOldSessionAndTheNextLoginCarriesTheNewRoles()
    {
        var school = await factory.OrganisationIdAsync("石桥镇小学");
        var assistant = await PersonIdAsync("assistant3");
        var oldToken = await factory.LoginAsync("assistant3");
        await JsonAssert.StatusAsync(await factory.WithToken(oldToken).GetAsync("/api/me"), HttpStatusCode.OK);
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        using var admin = await factory.ClientForAsync("admin");

        using var response = await admin.PutAsJsonAsync($"/api/people/{assistant}/roles",
            new { roles = new[] { new { role = "lead_teacher", organisationId = school } } });

        await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        await JsonAssert.ErrorAsync(await factory.WithToken(oldToken).GetAsync("/api/me"), HttpStatusCode.Unauthorized, "unauthorized");
        using var fresh = factory.WithToken(await factory.LoginAsync("assistant3"));
        var me = await JsonAssert.StatusAsync(await fresh.GetAsync("/api/me"), HttpStatusCode.OK);
        Assert.Equal("lead_teacher", Assert.Single(me.GetProperty("roles").EnumerateArray()).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Update_AdminResetsAPassword_OldSessionEndsAndTheNewPasswordWorks()
    {
        var teacher = await PersonIdAsync("assistant1");
        var oldToken = await factory.LoginAsync("assistant1");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        using var admin = await factory.ClientForAsync("admin");

        using var response = await admin.PatchAsJsonAsync($"/api/people/{teacher}", new { password = "reset-by-admin-1" });

        await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        await JsonAssert.ErrorAsync(await factory.WithToken(oldToken).GetAsync("/api/me"), HttpStatusCode.Unauthorized, "unauthorized");
        using var fresh = factory.WithToken(await factory.LoginAsync("assistant1", "reset-by-admin-1"));
        await JsonAssert.StatusAsync(await fresh.GetAsync("/api/me"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Get_AdminOfTheSchool_Allowed_AdminOfAnotherSchoolAndTeacher_Forbidden()
    {
        var assistant = await PersonIdAsync("assistant2");
        using var county = await factory.ClientForAsync("admin");
        using var otherSchool = await factory.ClientForAsync("schooladmin");
        using var teacher = await factory.ClientForAsync("teacher");

        var person = await JsonAssert.StatusAsync(await county.GetAsync($"/api/people/{assistant}"), HttpStatusCode.OK);

        Assert.Equal("assistant2", person.GetProperty("username").GetString());
        await JsonAssert.ErrorAsync(await otherSchool.GetAsync($"/api/people/{assistant}"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await teacher.GetAsync($"/api/people/{assistant}"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await county.GetAsync($"/api/people/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("teacher")]
    [InlineData("researcher")]
    public async Task Audit_NotAnAdmin_Returns403(string username)
    {
        using var client = await factory.ClientForAsync(username);

        using var response = await client.GetAsync("/api/audit");

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }
}
