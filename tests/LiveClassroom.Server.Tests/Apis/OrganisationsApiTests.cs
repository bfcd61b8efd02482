using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Apis;

public sealed class OrganisationsApiTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private static IEnumerable<JsonElement> Flatten(JsonElement node) =>
        new[] { node }.Concat(node.GetProperty("children").EnumerateArray().SelectMany(Flatten));

    private static List<JsonElement> AllNodes(JsonElement forest) =>
        [.. forest.GetProperty("roots").EnumerateArray().SelectMany(Flatten)];

    [Fact]
    public async Task Tree_CountyAdmin_SeesTheCountysSchoolsWithClassroomsAndAncestorsByNameOnly()
    {
        using var client = await factory.ClientForAsync("admin");

        var nodes = AllNodes(await JsonAssert.StatusAsync(await client.GetAsync("/api/organisations"), HttpStatusCode.OK));

        var province = nodes.Single(n => n.GetProperty("name").GetString() == "示范省");
        Assert.True(province.GetProperty("ancestorOnly").GetBoolean());
        Assert.False(province.GetProperty("canAdminister").GetBoolean());
        var schools = nodes.Where(n => n.GetProperty("kind").GetString() == "school").ToList();
        Assert.True(schools.Count >= 4);
        Assert.All(schools, s => Assert.True(s.GetProperty("canAdminister").GetBoolean()));
        var rural = schools.Single(s => s.GetProperty("name").GetString() == "青山村小学");
        Assert.True(rural.GetProperty("isRural").GetBoolean());
        Assert.Equal("三年级复式班教室", rural.GetProperty("classrooms")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Tree_Teacher_SeesOnlyTheirSchoolAndItsAncestors()
    {
        using var client = await factory.ClientForAsync("teacher");

        var nodes = AllNodes(await JsonAssert.StatusAsync(await client.GetAsync("/api/organisations"), HttpStatusCode.OK));

        Assert.Equal<string>(["示范省", "示范市", "示范县", "示范县第一实验小学"], [.. nodes.Select(n => n.GetProperty("name").GetString()!)]);
        var school = nodes[^1];
        Assert.False(school.GetProperty("ancestorOnly").GetBoolean());
        Assert.False(school.GetProperty("canAdminister").GetBoolean());
        Assert.Single(school.GetProperty("classrooms").EnumerateArray());
    }

    [Fact]
    public async Task Create_CountyAdminAddsASchool_ItAppearsAndCanHoldClassrooms()
    {
        using var admin = await factory.ClientForAsync("admin");
        var county = await factory.OrganisationIdAsync("示范县");

        using var created = await admin.PostAsJsonAsync("/api/organisations", new { parentId = county, kind = "school", name = "新村小学", isRural = true });
        var school = await JsonAssert.StatusAsync(created, HttpStatusCode.Created);
        var id = school.GetProperty("id").GetGuid();
        using var room = await admin.PostAsJsonAsync($"/api/organisations/{id}/classrooms", new { name = "多媒体教室" });
        await JsonAssert.StatusAsync(room, HttpStatusCode.Created);

        var rooms = await JsonAssert.StatusAsync(await admin.GetAsync($"/api/organisations/{id}/classrooms"), HttpStatusCode.OK);
        Assert.Equal("多媒体教室", Assert.Single(rooms.GetProperty("classrooms").EnumerateArray()).GetProperty("name").GetString());
        var audit = await JsonAssert.StatusAsync(await admin.GetAsync($"/api/audit?organisationId={id}"), HttpStatusCode.OK);
        var actions = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("organisation.create", actions);
        Assert.Contains("classroom.create", actions);
    }

    [Fact]
    public async Task Create_KindNotTheNextLevelDown_Returns400()
    {
        using var admin = await factory.ClientForAsync("admin");
        var county = await factory.OrganisationIdAsync("示范县");

        using var response = await admin.PostAsJsonAsync("/api/organisations", new { parentId = county, kind = "city", name = "错误" });

        var json = await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("wrong_kind", json.GetProperty("fields").GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("schooladmin")]
    [InlineData("teacher")]
    [InlineData("researcher")]
    public async Task Create_NotAnAdminOfTheParent_Returns403(string username)
    {
        using var client = await factory.ClientForAsync(username);
        var county = await factory.OrganisationIdAsync("示范县");

        using var response = await client.PostAsJsonAsync("/api/organisations", new { parentId = county, kind = "school", name = "越权小学" });

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Rename_SchoolAdminOfAnotherSchool_Returns403_OwnSchool_Succeeds()
    {
        using var client = await factory.ClientForAsync("schooladmin");
        var rural = await factory.OrganisationIdAsync("河口乡中心小学");
        var own = await factory.OrganisationIdAsync("示范县第一实验小学");

        await JsonAssert.ErrorAsync(await client.PatchAsJsonAsync($"/api/organisations/{rural}", new { name = "改名" }), HttpStatusCode.Forbidden, "forbidden");
        using var ok = await client.PatchAsJsonAsync($"/api/organisations/{own}", new { name = "示范县第一实验小学" });
        Assert.Equal("示范县第一实验小学", (await JsonAssert.StatusAsync(ok, HttpStatusCode.OK)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task CreateClassroom_TeacherOrOtherSchoolAdmin_Returns403()
    {
        var rural = await factory.OrganisationIdAsync("石桥镇小学");
        using var teacher = await factory.ClientForAsync("assistant3");
        using var otherAdmin = await factory.ClientForAsync("schooladmin");

        await JsonAssert.ErrorAsync(await teacher.PostAsJsonAsync($"/api/organisations/{rural}/classrooms", new { name = "x" }), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await otherAdmin.PostAsJsonAsync($"/api/organisations/{rural}/classrooms", new { name = "x" }), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Classrooms_AssistantOfTheSchool_Allowed_AssistantOfAnotherSchool_Forbidden()
    {
        var school = await factory.OrganisationIdAsync("青山村小学");
        using var own = await factory.ClientForAsync("assistant1");
        using var other = await factory.ClientForAsync("assistant2");

        await JsonAssert.StatusAsync(await own.GetAsync($"/api/organisations/{school}/classrooms"), HttpStatusCode.OK);
        await JsonAssert.ErrorAsync(await other.GetAsync($"/api/organisations/{school}/classrooms"), HttpStatusCode.Forbidden, "forbidden");
    }
}
