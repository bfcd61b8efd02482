using System.Net;
using System.Text.Json;
using LiveClassroom.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using static LiveClassroom.Server.Tests.Platform.CeHoursFixtures;

namespace LiveClassroom.Server.Tests.Platform;

/// <summary>The alliance people picker (docs/API-PLATFORM.md, "Finding people to name"): a search, capped, scoped, and minimal.</summary>
public sealed class AllianceCandidatesApiTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private const string LeadSchool = "示范县第一实验小学";

    private static Task<HttpResponseMessage> SearchAsync(HttpClient client, object? organisationId, string? q, string? kind = null)
    {
        var query = new List<string>();
        if (organisationId is not null)
        {
            query.Add($"organisationId={Uri.EscapeDataString(organisationId.ToString()!)}");
        }
        if (q is not null)
        {
            query.Add($"q={Uri.EscapeDataString(q)}");
        }
        if (kind is not null)
        {
            query.Add($"kind={kind}");
        }
        return client.GetAsync("/api/alliances/candidates?" + string.Join('&', query));
    }

    private static string[] Names(JsonElement body) => [.. body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!)];

    [Fact]
    public async Task Search_WithoutAUsableTerm_RefusedFieldByField()
    {
        using var teacher = await factory.ClientForAsync("teacher");
        var county = await factory.OrganisationIdAsync("示范县");

        var none = await JsonAssert.ErrorAsync(await SearchAsync(teacher, null, null), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(("required", "required"), (none.GetProperty("fields").GetProperty("organisationId").GetString(),
            none.GetProperty("fields").GetProperty("q").GetString()));
        var format = await JsonAssert.ErrorAsync(await SearchAsync(teacher, "not-a-guid", "王芳", "boss"), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(("invalid_format", "invalid"), (format.GetProperty("fields").GetProperty("organisationId").GetString(),
            format.GetProperty("fields").GetProperty("kind").GetString()));
        var school = await JsonAssert.ErrorAsync(await SearchAsync(teacher, await factory.OrganisationIdAsync(LeadSchool), "王芳"),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("invalid_level", school.GetProperty("fields").GetProperty("organisationId").GetString());

        // One Chinese character is enough; otherwise two characters at least; at most 50.
        foreach (var (q, problem) in new[] { ("   ", "required"), ("w", "too_short"), ("7", "too_short"), (new string('a', 51), "too_long") })
        {
            var refused = await JsonAssert.ErrorAsync(await SearchAsync(teacher, county, q), HttpStatusCode.BadRequest, "validation");
            Assert.Equal(problem, refused.GetProperty("fields").GetProperty("q").GetString());
        }
        Assert.Contains("王芳", Names(await JsonAssert.StatusAsync(await SearchAsync(teacher, county, "芳"), HttpStatusCode.OK)));
        await JsonAssert.StatusAsync(await SearchAsync(teacher, county, "wa"), HttpStatusCode.OK);

        // LIKE wildcards are searched for literally, not as "everyone".
        foreach (var q in new[] { "%%", "__", @"\%" })
        {
            Assert.Empty(Names(await JsonAssert.StatusAsync(await SearchAsync(teacher, county, q), HttpStatusCode.OK)));
        }
    }

    [Fact]
    public async Task Search_CappedAtTwentyBestFirst_ReturnsOnlyWhatThePickerNeeds()
    {
        using var teacher = await factory.ClientForAsync("teacher");
        var county = await factory.OrganisationIdAsync("示范县");
        for (var i = 1; i <= 23; i++)
        {
            var id = await TeacherAsync(factory, LeadSchool, $"cand_many_{i:00}", $"检索教师{i:00}");
            await ExecAsync("UPDATE people SET phone = @ph, staff_number = @s WHERE id = @id", ("ph", $"1390000{i:0000}"), ("s", $"JS{i:0000}"), ("id", id));
        }
        var exact = await TeacherAsync(factory, LeadSchool, "cand_exact", "检索教师");
        var gone = await TeacherAsync(factory, LeadSchool, "cand_gone", "检索教师停用");
        await ExecAsync("UPDATE people SET is_active = false WHERE id = @id", ("id", gone));

        // 24 match the name: the exact one first, then 19 by name, and "more"; the inactive one never.
        var response = await SearchAsync(teacher, county, "检索教师");
        var text = await response.Content.ReadAsStringAsync();
        var page = await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.True(page.GetProperty("more").GetBoolean());
        Assert.Equal(["检索教师", .. Enumerable.Range(1, 19).Select(i => $"检索教师{i:00}")], Names(page));
        Assert.Equal(exact, page.GetProperty("items")[0].GetProperty("personId").GetGuid());
        foreach (var item in page.GetProperty("items").EnumerateArray())
        {
            Assert.Equal(["kind", "name", "personId", "schoolName", "staffNumber", "stage", "subject"],
                item.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal((LeadSchool, "数学", "primary", "teacher", JsonValueKind.Null), (item.GetProperty("schoolName").GetString(),
                item.GetProperty("subject").GetString(), item.GetProperty("stage").GetString(), item.GetProperty("kind").GetString(),
                item.GetProperty("staffNumber").ValueKind));
        }
        Assert.DoesNotContain("1390000", text);
        Assert.DoesNotContain("JS00", text);
        Assert.DoesNotContain("cand_many", text);

        // A staff number matches by prefix (any case), and then it is shown; not in the middle.
        var byNumber = await JsonAssert.StatusAsync(await SearchAsync(teacher, county, "js002"), HttpStatusCode.OK);
        Assert.False(byNumber.GetProperty("more").GetBoolean());
        Assert.Equal(["JS0020", "JS0021", "JS0022", "JS0023"],
            byNumber.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("staffNumber").GetString()!));
        Assert.Empty(Names(await JsonAssert.StatusAsync(await SearchAsync(teacher, county, "S002"), HttpStatusCode.OK)));

        // A researcher may be found as an expert, not when only teachers are asked for (chief, core).
        var researcher = (await JsonAssert.StatusAsync(await SearchAsync(teacher, county, "刘教研"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(("researcher", JsonValueKind.Null), (researcher.GetProperty("kind").GetString(), researcher.GetProperty("schoolName").ValueKind));
        Assert.Empty(Names(await JsonAssert.StatusAsync(await SearchAsync(teacher, county, "刘教研", "teacher"), HttpStatusCode.OK)));
        Assert.Equal(["王芳"], Names(await JsonAssert.StatusAsync(await SearchAsync(teacher, county, "王芳", "teacher"), HttpStatusCode.OK)));
    }

    [Fact]
    public async Task Search_OnlyUnderALevelTheCallerMayProposeForOrAdministers()
    {
        var county = await factory.OrganisationIdAsync("示范县");
        var city = await factory.OrganisationIdAsync("示范市");
        var other = await OtherCountyAdminAsync(factory, "cand_other_county");
        await ExecAsync("INSERT INTO organisations (id, parent_id, kind, name) VALUES (@id, @c, 'school', '邻县检索小学')", ("id", Guid.NewGuid()), ("c", other));
        await ExecAsync("UPDATE auth_cache_versions SET version = version + 1 WHERE scope = 'organisations'");
        await factory.Services.GetRequiredService<AuthStateRefresher>().RefreshAsync(true, CancellationToken.None);
        await TeacherAsync(factory, "邻县检索小学", "cand_far", "外县检索教师");
        using var teacher = await factory.ClientForAsync("teacher");
        using var rural = await factory.ClientForAsync("assistant1");
        using var countyAdmin = await factory.ClientForAsync("admin");
        using var otherAdmin = await factory.ClientForAsync("cand_other_county");
        using var farTeacher = await factory.ClientForAsync("cand_far");
        using var researcher = await factory.ClientForAsync("researcher");

        // A teacher outside the level is not found under it; under the city both counties are searched.
        Assert.Empty(Names(await JsonAssert.StatusAsync(await SearchAsync(teacher, county, "外县检索"), HttpStatusCode.OK)));
        Assert.Equal(["外县检索教师"], Names(await JsonAssert.StatusAsync(await SearchAsync(teacher, city, "外县检索"), HttpStatusCode.OK)));
        Assert.Equal(["王芳"], Names(await JsonAssert.StatusAsync(await SearchAsync(rural, county, "王芳"), HttpStatusCode.OK)));
        Assert.Equal(["王芳"], Names(await JsonAssert.StatusAsync(await SearchAsync(countyAdmin, county, "王芳"), HttpStatusCode.OK)));
        Assert.Equal(["外县检索教师"], Names(await JsonAssert.StatusAsync(await SearchAsync(otherAdmin, other, "外县"), HttpStatusCode.OK)));

        // Who may neither propose there nor administer it is refused: a sibling county's admin and teacher, a
        // researcher (who cannot propose), the county admin at the city above, and an organisation nobody knows.
        await JsonAssert.ErrorAsync(await SearchAsync(otherAdmin, county, "王芳"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await SearchAsync(farTeacher, county, "王芳"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await SearchAsync(researcher, county, "王芳"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await SearchAsync(countyAdmin, city, "王芳"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await SearchAsync(teacher, Guid.NewGuid(), "王芳"), HttpStatusCode.Forbidden, "forbidden");
    }

    private async Task ExecAsync(string sql, params (string Name, object Value)[] args)
    {
        factory.EnsureStarted();
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand(sql);
        foreach (var (n, v) in args)
        {
            cmd.Parameters.AddWithValue(n, v);
        }
        await cmd.ExecuteNonQueryAsync();
    }
}
