using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static LiveClassroom.Server.Tests.Platform.CeHoursFixtures;

namespace LiveClassroom.Server.Tests.Platform;

public sealed class CeHoursApiTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private static List<(string Kind, string Evidence, int Minutes)> Credits(JsonElement summary) =>
        [.. summary.GetProperty("credits").EnumerateArray()
            .Select(c => (c.GetProperty("kind").GetString()!, c.GetProperty("evidenceId").GetString()!, c.GetProperty("minutes").GetInt32()))
            .OrderBy(c => c.Item1, StringComparer.Ordinal)];

    [Fact]
    public async Task Evidence_OfEachKind_IsCreditedOnce_AndRecomputingChangesNothing()
    {
        var (year, at) = YearAndInstant(factory);
        var lead = await TeacherAsync(factory, "示范县第一实验小学", "ce_lead", "钱老师");
        var assistant = await TeacherAsync(factory, "青山村小学", "ce_assist", "孙老师", "assistant_teacher");
        var classId = await EndedClassAsync(factory, lead, assistant, at);
        await EndedClassAsync(factory, lead, assistant, at, status: "Live");
        var (session, lesson) = await EndedResearchAsync(factory, lead, assistant, at);
        var plan = await CoPreparedPlanAsync(factory, lead, assistant, at);
        var resource = await LibraryLessonAsync(factory, at, (lead, 1.0), (assistant, 0.5));

        using var teacher = await factory.ClientForAsync("ce_lead");
        var first = await JsonAssert.StatusAsync(await teacher.GetAsync($"/api/ce/me?year={year}"), HttpStatusCode.OK);
        var second = await JsonAssert.StatusAsync(await teacher.GetAsync($"/api/ce/me?year={year}"), HttpStatusCode.OK);

        // The live class still running and the half-watched lesson give nothing; each evidence once, with its minutes.
        var expected = new List<(string, string, int)>
        {
            ("lesson_plan", plan.ToString(), 90), ("library", resource.ToString(), 30), ("live_taught", classId, 44),
            ("observation", lesson.ToString(), 45), ("research", session.ToString(), 30),
        };
        Assert.Equal(expected, Credits(first));
        Assert.Equal(Credits(first), Credits(second));
        Assert.Equal(first.GetProperty("credits").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()),
            second.GetProperty("credits").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
        Assert.Equal(239, second.GetProperty("earnedMinutes").GetInt32());
        Assert.Equal(5.3, second.GetProperty("earnedHours").GetDouble());
        Assert.Equal(90, second.GetProperty("byKind").EnumerateArray().Single(k => k.GetProperty("kind").GetString() == "lesson_plan").GetProperty("minutes").GetInt32());
        Assert.Equal(5, await CountAsync(factory, "SELECT count(*) FROM ce_credits WHERE person_id = @p", ("p", lead)));

        // The assistant: the rural classroom's minutes, and the lesson plan they started as main preparer.
        using var assist = await factory.ClientForAsync("ce_assist");
        var theirs = await JsonAssert.StatusAsync(await assist.GetAsync($"/api/ce/me?year={year}"), HttpStatusCode.OK);
        Assert.Equal([("lesson_plan", plan.ToString(), 90), ("live_assisted", classId, 40)], Credits(theirs));

        // A county view recomputes everyone again: still one row per evidence.
        using var county = await factory.ClientForAsync("admin");
        await JsonAssert.StatusAsync(await county.GetAsync($"/api/ce/report?organisationId={await factory.OrganisationIdAsync("示范县")}&year={year}"),
            HttpStatusCode.OK);
        Assert.Equal(5, await CountAsync(factory, "SELECT count(*) FROM ce_credits WHERE person_id = @p", ("p", lead)));
        Assert.Equal(1, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = 'ce_credit.recompute' AND details::text LIKE '%' || @p || '%'",
            ("p", lead.ToString())));
    }

    [Fact]
    public async Task Requirement_NearestLevelWins_AndChangesAreAudited()
    {
        var year = YearAndInstant(factory).Year + 1;
        var county = await factory.OrganisationIdAsync("示范县");
        var lead = await factory.OrganisationIdAsync("示范县第一实验小学");
        var rural = await factory.OrganisationIdAsync("青山村小学");
        using var countyAdmin = await factory.ClientForAsync("admin");
        using var schoolAdmin = await factory.ClientForAsync("schooladmin");

        var before = await JsonAssert.StatusAsync(await schoolAdmin.GetAsync($"/api/ce/requirements?organisationId={lead}&year={year}"), HttpStatusCode.OK);
        Assert.Equal((36, 18, JsonValueKind.Null), (before.GetProperty("totalHours").GetInt32(), before.GetProperty("requiredHours").GetInt32(),
            before.GetProperty("sourceOrganisationId").ValueKind));

        await JsonAssert.StatusAsync(await countyAdmin.PutAsJsonAsync("/api/ce/requirements",
            new { organisationId = county, year, totalHours = 48, requiredHours = 24 }), HttpStatusCode.OK);
        var set = await JsonAssert.StatusAsync(await schoolAdmin.PutAsJsonAsync("/api/ce/requirements",
            new { organisationId = lead, year, totalHours = 40, requiredHours = 30 }), HttpStatusCode.OK);
        Assert.Equal((40, 10), (set.GetProperty("totalHours").GetInt32(), set.GetProperty("electiveHours").GetInt32()));

        var atLead = await JsonAssert.StatusAsync(await countyAdmin.GetAsync($"/api/ce/requirements?organisationId={lead}&year={year}"), HttpStatusCode.OK);
        var atRural = await JsonAssert.StatusAsync(await countyAdmin.GetAsync($"/api/ce/requirements?organisationId={rural}&year={year}"), HttpStatusCode.OK);
        Assert.Equal((40, lead), (atLead.GetProperty("totalHours").GetInt32(), atLead.GetProperty("sourceOrganisationId").GetGuid()));
        Assert.Equal((48, county), (atRural.GetProperty("totalHours").GetInt32(), atRural.GetProperty("sourceOrganisationId").GetGuid()));

        // A school admin cannot set the county's; required above total is refused field by field.
        await JsonAssert.ErrorAsync(await schoolAdmin.PutAsJsonAsync("/api/ce/requirements", new { organisationId = county, year, totalHours = 10, requiredHours = 5 }),
            HttpStatusCode.Forbidden, "forbidden");
        var bad = await JsonAssert.ErrorAsync(await countyAdmin.PutAsJsonAsync("/api/ce/requirements", new { organisationId = county, year = 1800, totalHours = 10, requiredHours = 11 }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal(("invalid", "invalid"), (bad.GetProperty("fields").GetProperty("year").GetString(), bad.GetProperty("fields").GetProperty("requiredHours").GetString()));

        var audit = await JsonAssert.StatusAsync(await countyAdmin.GetAsync($"/api/audit?organisationId={county}"), HttpStatusCode.OK);
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "ce_requirement.set");
        Assert.Equal(1, await CountAsync(factory, "SELECT count(*) FROM audit_log WHERE action = 'ce_requirement.set' AND organisation_id = @o", ("o", lead)));
    }

    [Fact]
    public async Task Rights_OtherSchoolsTeacherAndOtherCountysAdmin_AreRefused()
    {
        var (year, _) = YearAndInstant(factory);
        var lead = await TeacherAsync(factory, "示范县第一实验小学", "ce_rights", "吕老师");
        var county = await factory.OrganisationIdAsync("示范县");
        await OtherCountyAdminAsync(factory, "ce_neighbour");
        using var self = await factory.ClientForAsync("ce_rights");
        using var otherTeacher = await factory.ClientForAsync("assistant1");
        using var otherSchoolAdmin = await factory.ClientForAsync("schooladmin1");
        using var neighbour = await factory.ClientForAsync("ce_neighbour");
        using var countyAdmin = await factory.ClientForAsync("admin");

        await JsonAssert.StatusAsync(await self.GetAsync($"/api/ce/people/{lead}?year={year}"), HttpStatusCode.OK);
        await JsonAssert.StatusAsync(await countyAdmin.GetAsync($"/api/ce/people/{lead}?year={year}"), HttpStatusCode.OK);
        await JsonAssert.ErrorAsync(await otherTeacher.GetAsync($"/api/ce/people/{lead}?year={year}"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await otherSchoolAdmin.GetAsync($"/api/ce/people/{lead}?year={year}"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await neighbour.GetAsync($"/api/ce/people/{lead}?year={year}"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await neighbour.GetAsync($"/api/ce/report?organisationId={county}&year={year}"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await neighbour.GetAsync($"/api/ce/report.csv?organisationId={county}"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await neighbour.PutAsJsonAsync("/api/ce/requirements", new { organisationId = county, year, totalHours = 10, requiredHours = 5 }),
            HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await otherTeacher.GetAsync($"/api/ce/report?organisationId={county}"), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await otherSchoolAdmin.GetAsync($"/api/ce/report?organisationId={await factory.OrganisationIdAsync("示范县第一实验小学")}"),
            HttpStatusCode.Forbidden, "forbidden");
        // A county admin sets their county's requirement, not the city's; nor adds 校本研修 (the school does).
        await JsonAssert.ErrorAsync(await countyAdmin.PutAsJsonAsync("/api/ce/requirements",
            new { organisationId = await factory.OrganisationIdAsync("示范市"), year, totalHours = 10, requiredHours = 5 }), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await otherSchoolAdmin.PostAsJsonAsync("/api/ce/credits",
            new { personId = lead, date = $"{year}-01-01", hours = 2, note = "校本研修" }), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await countyAdmin.PostAsJsonAsync("/api/ce/credits",
            new { personId = lead, date = $"{year}-01-01", hours = 2, note = "校本研修" }), HttpStatusCode.Forbidden, "forbidden");
        // A teacher cannot credit themself, whatever the input.
        await JsonAssert.ErrorAsync(await self.PostAsJsonAsync("/api/ce/credits", new { personId = lead, hours = 0.3 }), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await countyAdmin.GetAsync("/api/ce/me"), HttpStatusCode.Forbidden, "not_a_teacher");
        await JsonAssert.ErrorAsync(await countyAdmin.GetAsync("/api/ce/report?organisationId=not-a-guid"), HttpStatusCode.BadRequest, "validation");
        await JsonAssert.ErrorAsync(await countyAdmin.GetAsync($"/api/ce/report?organisationId={county}&year=20x6"), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(0, await CountAsync(factory, "SELECT count(*) FROM ce_credits WHERE person_id = @p AND kind = 'school_training'", ("p", lead)));
    }

    [Fact]
    public async Task SchoolTraining_AddedByTheSchoolAdmin_ShowsOnTheTeachersYear_AndSurvivesRecompute()
    {
        var (year, at) = YearAndInstant(factory);
        var lead = await TeacherAsync(factory, "示范县第一实验小学", "ce_training", "马老师");
        var school = await factory.OrganisationIdAsync("示范县第一实验小学");
        using var admin = await factory.ClientForAsync("schooladmin");
        var date = CeDate(at);

        var bad = await JsonAssert.ErrorAsync(await admin.PostAsJsonAsync("/api/ce/credits", new { personId = lead, date = "2026/01/01", hours = 0.3, note = " " }),
            HttpStatusCode.BadRequest, "validation");
        var fields = bad.GetProperty("fields");
        Assert.Equal(("invalid_format", "invalid", "required"),
            (fields.GetProperty("date").GetString(), fields.GetProperty("hours").GetString(), fields.GetProperty("note").GetString()));
        await JsonAssert.ErrorAsync(await admin.PostAsync("/api/ce/credits", new StringContent("{\"personId\":", Encoding.UTF8, "application/json")),
            HttpStatusCode.BadRequest, "bad_request");
        Assert.Equal(0, await CountAsync(factory, "SELECT count(*) FROM ce_credits WHERE person_id = @p", ("p", lead)));

        var credit = await JsonAssert.StatusAsync(await admin.PostAsJsonAsync("/api/ce/credits",
            new { personId = lead, date, hours = 2.5, note = "校本研修：课堂提问策略" }), HttpStatusCode.Created);
        Assert.Equal(("school_training", 112, "周校长"), (credit.GetProperty("kind").GetString(), credit.GetProperty("minutes").GetInt32(),
            credit.GetProperty("createdByName").GetString()));

        using var teacher = await factory.ClientForAsync("ce_training");
        for (var i = 0; i < 2; i++)
        {
            var mine = await JsonAssert.StatusAsync(await teacher.GetAsync($"/api/ce/me?year={year}"), HttpStatusCode.OK);
            var only = Assert.Single(mine.GetProperty("credits").EnumerateArray());
            Assert.Equal("校本研修：课堂提问策略", only.GetProperty("note").GetString());
            Assert.Equal(2.5, mine.GetProperty("earnedHours").GetDouble());
        }

        var removed = await admin.DeleteAsync($"/api/ce/credits/{credit.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await JsonAssert.ErrorAsync(await admin.DeleteAsync($"/api/ce/credits/{credit.GetProperty("id").GetGuid()}"), HttpStatusCode.NotFound, "not_found");
        var audit = await JsonAssert.StatusAsync(await admin.GetAsync($"/api/audit?organisationId={school}"), HttpStatusCode.OK);
        var actions = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("ce_credit.add", actions);
        Assert.Contains("ce_credit.remove", actions);
    }

    [Fact]
    public async Task ReportCsv_IsUtf8WithBom_OneRowPerTeacher_SameAsTheJsonView()
    {
        var (year, _) = YearAndInstant(factory);
        await TeacherAsync(factory, "青山村小学", "ce_csv", "\"引号\",老师");
        var school = await factory.OrganisationIdAsync("青山村小学");
        using var admin = await factory.ClientForAsync("schooladmin1");

        var json = await JsonAssert.StatusAsync(await admin.GetAsync($"/api/ce/report?organisationId={school}&year={year}"), HttpStatusCode.OK);
        using var response = await admin.GetAsync($"/api/ce/report.csv?organisationId={school}&year={year}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("姓名,学校,要求学时,已获学时,应达学时,是否落后,live_taught,", lines[0]);
        Assert.Equal(json.GetProperty("teachers").GetInt32() + 1, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("\"\"\"引号\"\",老师\",青山村小学,36,0.0,", StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Equal(13, l.Replace("\"\"\"引号\"\",老师\"", "x", StringComparison.Ordinal).Split(',').Length));
    }

    private static string CeDate(DateTimeOffset at) =>
        LiveClassroom.Server.ContinuingEducation.CeRules.SchoolDate(at).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
