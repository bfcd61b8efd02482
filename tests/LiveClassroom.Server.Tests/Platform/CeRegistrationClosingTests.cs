using System.Net;
using System.Net.Http.Json;
using LiveClassroom.Server.ContinuingEducation;
using static LiveClassroom.Server.Tests.Platform.CeHoursFixtures;

namespace LiveClassroom.Server.Tests.Platform;

/// <summary>Course choice closes at 31 December 24:00 school time (+08:00): this class moves its own server's clock.</summary>
public sealed class CeRegistrationClosingTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task Electives_CanBeChosenUntil31December_SchoolTime_ThenRegistrationIsClosed()
    {
        var (year, _) = YearAndInstant(factory);
        var school = await factory.OrganisationIdAsync("示范县第一实验小学");
        await TeacherAsync(factory, "示范县第一实验小学", "ce_chooser", "韩老师");
        using (var admin = await factory.ClientForAsync("schooladmin"))
        {
            var missingTopic = await JsonAssert.ErrorAsync(await admin.PostAsJsonAsync("/api/ce/courses",
                new { organisationId = school, year, kind = "elective", title = "提问的艺术", hours = 4 }), HttpStatusCode.BadRequest, "validation");
            Assert.Equal("required", missingTopic.GetProperty("fields").GetProperty("topic").GetString());
        }
        Guid elective;
        using (var admin = await factory.ClientForAsync("schooladmin"))
        {
            elective = (await JsonAssert.StatusAsync(await admin.PostAsJsonAsync("/api/ce/courses",
                new { organisationId = school, year, kind = "elective", topic = "课堂提问", title = "提问的艺术", hours = 4 }), HttpStatusCode.Created))
                .GetProperty("id").GetGuid();
        }
        using (var county = await factory.ClientForAsync("admin"))
        {
            await JsonAssert.StatusAsync(await county.PostAsJsonAsync("/api/ce/courses",
                new { organisationId = await factory.OrganisationIdAsync("示范县"), year, kind = "required", title = "师德师风", stage = "primary", hours = 6 }),
                HttpStatusCode.Created);
            await JsonAssert.StatusAsync(await county.PostAsJsonAsync("/api/ce/courses",
                new { organisationId = await factory.OrganisationIdAsync("示范县"), year, kind = "required", title = "高中物理实验", stage = "senior", hours = 6 }),
                HttpStatusCode.Created);
        }

        // One second before midnight of 31 December at +08:00 (15:59:59 UTC) choosing still works.
        var closes = CeRules.Window(year).To;
        factory.Clock.Advance(closes.AddSeconds(-1) - factory.Clock.GetUtcNow());
        using (var teacher = factory.WithToken(await factory.LoginAsync("ce_chooser")))
        {
            var courses = await JsonAssert.StatusAsync(await teacher.GetAsync($"/api/ce/courses?year={year}"), HttpStatusCode.OK);
            Assert.True(courses.GetProperty("registrationOpen").GetBoolean());
            // The primary-school 数学 teacher gets the county's primary course and the school's elective, not the senior one.
            Assert.Equal(["师德师风", "提问的艺术"], courses.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("title").GetString()).Order(StringComparer.Ordinal));
            var chosen = await JsonAssert.StatusAsync(await teacher.PostAsync($"/api/ce/courses/{elective}/enrol", null), HttpStatusCode.OK);
            Assert.True(chosen.GetProperty("enrolled").GetBoolean());
        }

        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        using (var teacher = factory.WithToken(await factory.LoginAsync("ce_chooser")))
        {
            await JsonAssert.ErrorAsync(await teacher.DeleteAsync($"/api/ce/courses/{elective}/enrol"), HttpStatusCode.Conflict, "registration_closed");
            var courses = await JsonAssert.StatusAsync(await teacher.GetAsync($"/api/ce/courses?year={year}"), HttpStatusCode.OK);
            Assert.False(courses.GetProperty("registrationOpen").GetBoolean());
            Assert.True(courses.GetProperty("items").EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == elective).GetProperty("enrolled").GetBoolean());
        }
        using (var admin = factory.WithToken(await factory.LoginAsync("schooladmin")))
        {
            await JsonAssert.ErrorAsync(await admin.PostAsJsonAsync("/api/ce/courses",
                new { organisationId = school, year, kind = "elective", topic = "课堂提问", title = "迟到的课程", hours = 2 }), HttpStatusCode.Conflict, "registration_closed");
        }
    }
}
