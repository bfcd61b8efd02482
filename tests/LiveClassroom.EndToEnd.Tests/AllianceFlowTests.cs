using System.Text.Json.Nodes;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using Npgsql;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class AllianceFlowTests(EndToEndFixture fx)
{
    [Fact]
    public async Task TeacherProposes_CountyCertifies_MemberJoins_ChiefAcceptsAndPairs_AssessmentShowsFigures()
    {
        var name = $"小学数学名师联盟{fx.NextTag()}";
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;

        // 王芳 proposes a county alliance with herself as chief and two guiding experts.
        await browser.LoginAsync("teacher");
        await page.GetByTestId("nav-alliances").ClickAsync();
        await page.GetByTestId("alliance-apply-link").ClickAsync();
        var form = page.GetByTestId("alliance-apply-form");
        await form.GetByLabel("联盟名称").FillAsync(name);
        await form.GetByLabel("学科", new() { Exact = true }).FillAsync("数学");
        await form.GetByLabel("联盟计划").FillAsync("每月一次同课异构，学期末汇编优秀课例。");
        // The picker searches as one types (at most 20 matches from the server), never listing the whole county.
        var chief = page.GetByTestId("alliance-chief");
        await chief.GetByLabel("按姓名或工号查找").FillAsync("王芳");
        await chief.GetByRole(AriaRole.Button, new() { Name = "王芳（示范县第一实验小学）", Exact = true }).ClickAsync();
        await Expect(chief).ToContainTextAsync("王芳（示范县第一实验小学）");
        var experts = page.GetByTestId("alliance-experts");
        await experts.GetByLabel("按姓名或工号查找").FillAsync("刘");
        await experts.GetByRole(AriaRole.Button, new() { Name = "刘教研", Exact = true }).ClickAsync();
        await experts.GetByLabel("按姓名或工号查找").FillAsync("李强");
        await Expect(experts.GetByRole(AriaRole.List, new() { Name = "查找结果" })).ToContainTextAsync("青山村小学");
        await browser.ScreenshotAsync("alliance-apply-picker");
        await experts.GetByRole(AriaRole.Button, new() { Name = "李强（青山村小学）", Exact = true }).ClickAsync();
        await Expect(experts.Locator("ul.chosen li")).ToHaveCountAsync(2);
        await form.GetByRole(AriaRole.Button, new() { Name = "提交申请" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-status")).ToContainTextAsync("待认定");
        var allianceUrl = page.Url;
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // The county admin certifies it from the queue of their level.
        await browser.LoginAsync("admin");
        await page.GotoAsync("/admin/alliances");
        var row = page.GetByTestId("alliance-queue").GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await row.GetByRole(AriaRole.Button, new() { Name = "认定" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-admin-info")).ToHaveTextAsync($"已认定“{name}”。");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // 赵敏 (a rural school's teacher) finds it and asks to join.
        await browser.LoginAsync("assistant2");
        await page.GetByTestId("nav-alliances").ClickAsync();
        await page.GetByTestId("alliance-list").GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await page.GetByLabel("申请说明").FillAsync("希望参加同课异构");
        await page.GetByRole(AriaRole.Button, new() { Name = "申请加入" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-info")).ToHaveTextAsync("已提交入盟申请，等待首席名师处理。");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // The chief accepts; 赵敏 is listed as a member.
        await browser.LoginAsync("teacher");
        await page.GotoAsync(allianceUrl);
        var application = page.GetByTestId("alliance-applications").GetByRole(AriaRole.Row).Filter(new() { HasText = "赵敏" });
        await application.GetByRole(AriaRole.Button, new() { Name = "同意" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-info")).ToHaveTextAsync("已同意 赵敏 加入。");
        await Expect(page.GetByTestId("alliance-members").Locator("tr[data-role=member]")).ToContainTextAsync("赵敏");
        await browser.ScreenshotAsync("alliance-chief");

        // The chief pairs her classroom with 赵敏's (a member school's rural classroom) for a term: the same county, so
        // the pairing and its timetable are made at once and listed on the alliance's page.
        var pairing = page.GetByTestId("alliance-pairing-form");
        await pairing.GetByLabel("主讲教室").SelectOptionAsync(new SelectOptionValue { Label = "示范县第一实验小学 · 三年级一班录播教室" });
        await pairing.GetByLabel("主讲教师").SelectOptionAsync(new SelectOptionValue { Label = "王芳" });
        await pairing.GetByLabel("河口乡中心小学 · 三年级二班教室").CheckAsync();
        await pairing.GetByLabel("年级", new() { Exact = true }).FillAsync("三年级");
        await pairing.GetByLabel("教材版本", new() { Exact = true }).FillAsync("人教版");
        await pairing.GetByLabel("学期名称", new() { Exact = true }).FillAsync("2027 春季学期");
        await pairing.GetByLabel("开始日期", new() { Exact = true }).FillAsync("2027-03-01");
        await pairing.GetByLabel("结束日期", new() { Exact = true }).FillAsync("2027-06-30");
        await pairing.GetByRole(AriaRole.Button, new() { Name = "安排结对" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-pairing-info")).ToHaveTextAsync("结对已安排，课表已生成。");
        var paired = page.GetByTestId("alliance-pairings").GetByRole(AriaRole.Row).Filter(new() { HasText = "河口乡中心小学 · 三年级二班教室" });
        await Expect(paired).ToContainTextAsync("已生成课表");
        await Expect(paired).ToContainTextAsync("王芳");
        await browser.ScreenshotAsync("alliance-pairing");
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // 赵敏 (a member, neither chief nor expert) sees the pairing on the alliance's page, but no form to schedule one.
        await browser.LoginAsync("assistant2");
        await page.GotoAsync(allianceUrl);
        await Expect(page.GetByTestId("alliance-pairings")).ToContainTextAsync("三年级二班教室");
        await Expect(page.GetByTestId("alliance-pairing-form")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // The county admin assesses the year: the form shows the figures the platform computed.
        await browser.LoginAsync("admin");
        await page.GotoAsync("/admin/alliances");
        var assess = page.GetByTestId("alliance-assess-form");
        await assess.GetByLabel("联盟名称").SelectOptionAsync(new SelectOptionValue { Label = name });
        var figures = page.GetByTestId("assessment-figures");
        await Expect(figures.Locator("[data-figure=members] td")).ToHaveTextAsync("4");
        await Expect(figures.Locator("[data-figure=schools] td")).ToHaveTextAsync("3");
        await Expect(figures.Locator("[data-figure=sessionsHeld] td")).ToHaveTextAsync("0");
        await assess.GetByLabel("得分（0–100）").FillAsync("92");
        await assess.GetByLabel("评语").FillAsync("联盟运行良好");
        await assess.GetByLabel("考核结论").SelectOptionAsync(new SelectOptionValue { Label = "保留" });
        await browser.ScreenshotAsync("alliance-assessment");
        await assess.GetByRole(AriaRole.Button, new() { Name = "提交考核" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-admin-info")).ToHaveTextAsync($"已完成“{name}”的年度考核。");
        await page.GotoAsync(allianceUrl);
        await Expect(page.GetByTestId("alliance-assessments")).ToContainTextAsync("92");
        await Expect(page.GetByTestId("alliance-status")).ToContainTextAsync("已考核");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task CrossCountyPairing_RuralCountyAdminRejectsWithReason_ChiefSeesItAndWithdrawsAnother()
    {
        var allianceId = await CrossCountyPairingsAsync(fx.NextTag(), "音乐", "美术");
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        var pairings = page.GetByTestId("alliance-pairings");
        var music = pairings.GetByRole(AriaRole.Row).Filter(new() { HasText = "音乐" });
        var art = pairings.GetByRole(AriaRole.Row).Filter(new() { HasText = "美术" });

        // 示范县's admin (the county of the receiving classroom) rejects one: a reason is asked for first, then shown.
        await browser.LoginAsync("admin");
        await page.GotoAsync($"/alliances/{allianceId}");
        await Expect(music).ToContainTextAsync("待县级确认");
        await music.GetByRole(AriaRole.Button, new() { Name = "拒绝", Exact = true }).ClickAsync();
        await Expect(music.GetByRole(AriaRole.Alert)).ToHaveTextAsync("此项为必填项。");
        await music.GetByLabel("拒绝理由").FillAsync("河口乡本学期课表已满，请下学期再安排");
        await browser.ScreenshotAsync("alliance-pairing-reject");
        await music.GetByRole(AriaRole.Button, new() { Name = "拒绝", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("alliance-info")).ToHaveTextAsync("已拒绝该结对，提出人会在联盟页面看到理由。");
        await Expect(music).ToContainTextAsync("已拒绝");
        await Expect(art.GetByRole(AriaRole.Button, new() { Name = "撤回" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "退出登录" }).ClickAsync();

        // 王芳, the chief who proposed both, sees the outcome and its reason, and withdraws the other one.
        await browser.LoginAsync("teacher");
        await page.GotoAsync($"/alliances/{allianceId}");
        await Expect(music.GetByTestId("alliance-pairing-reason")).ToHaveTextAsync("理由：河口乡本学期课表已满，请下学期再安排");
        await Expect(music.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await art.GetByRole(AriaRole.Button, new() { Name = "撤回" }).ClickAsync();
        await Expect(page.GetByTestId("alliance-info")).ToHaveTextAsync("已撤回该结对。");
        await Expect(art).ToContainTextAsync("已撤回");
        await Expect(art.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await browser.ScreenshotAsync("alliance-pairing-withdrawn");
        browser.AssertNoConsoleErrors();
    }

    /// <summary>
    /// A certified 示范市 alliance (chief 王芳) whose core member teaches in a new county beside 示范县, and, for each
    /// subject, a pairing of that member's classroom with 河口乡's (another county): pending, as 王芳 proposed it.
    /// </summary>
    private async Task<string> CrossCountyPairingsAsync(string tag, params string[] subjects)
    {
        var api = fx.Api;
        var cityAdmin = $"city_{tag.ToLowerInvariant()}";
        // The demo has nobody above the county and no API makes a city admin: that one row goes straight into the database.
        await using (var ds = NpgsqlDataSource.Create(fx.Server.DatabaseConnectionString))
        await using (var cmd = ds.CreateCommand("""
            WITH p AS (
                INSERT INTO people (id, organisation_id, username, display_name, password_hash)
                SELECT gen_random_uuid(), o.id, @u, '市教研主任', t.password_hash FROM organisations o, people t WHERE o.name = '示范市' AND t.username = 'teacher'
                RETURNING id, organisation_id)
            INSERT INTO person_roles (person_id, role, organisation_id) SELECT id, 'city_admin', organisation_id FROM p
            """))
        {
            cmd.Parameters.AddWithValue("u", cityAdmin);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        var (city, _) = await api.LoginAsync(cityAdmin);
        var (county, _) = await api.LoginAsync("admin");
        var (chief, me) = await api.LoginAsync("teacher");
        var roots = (await api.SendAsync(HttpMethod.Get, "/api/organisations", city))["roots"]!.AsArray();
        string Id(JsonNode? n) => n!["id"]!.GetValue<string>();
        var cityId = Id(DemoApi.Find(roots, "示范市"));

        var farCounty = await api.SendAsync(HttpMethod.Post, "/api/organisations", city, new { parentId = cityId, kind = "county", name = $"邻县{tag}" });
        var farSchool = Id(await api.SendAsync(HttpMethod.Post, "/api/organisations", city,
            new { parentId = Id(farCounty), kind = "school", name = $"邻县实验小学{tag}" }));
        var farRoom = Id(await api.SendAsync(HttpMethod.Post, $"/api/organisations/{farSchool}/classrooms", city, new { name = "录播教室" }));
        var farTeacher = Id(await api.SendAsync(HttpMethod.Post, "/api/people", city, new
        {
            organisationId = farSchool, username = $"far_{tag.ToLowerInvariant()}", displayName = "邻县名师", password = ServerProcess.DemoPassword,
            roles = new[] { new { role = "lead_teacher", organisationId = farSchool } },
        }));
        async Task<string> FoundAsync(string q) =>
            (await api.SendAsync(HttpMethod.Get, $"/api/alliances/candidates?organisationId={cityId}&q={Uri.EscapeDataString(q)}", chief))["items"]![0]!["personId"]!
                .GetValue<string>();
        var alliance = await api.SendAsync(HttpMethod.Post, "/api/alliances", chief, new
        {
            organisationId = cityId, name = $"跨县送教联盟{tag}", subject = "艺术", stage = "primary", plan = "邻县名师为河口乡送教。", chiefId = Id(me),
            expertIds = new[] { await FoundAsync("刘教研"), await FoundAsync("李强") }, coreIds = new[] { farTeacher, await FoundAsync("赵敏") },
        });
        await api.SendAsync(HttpMethod.Post, $"/api/alliances/{Id(alliance)}/certify", city);
        var hekou = Id(DemoApi.Find((await api.SendAsync(HttpMethod.Get, "/api/organisations", county))["roots"]!.AsArray(), "河口乡中心小学"));
        var hekouRoom = Id((await api.SendAsync(HttpMethod.Get, $"/api/organisations/{hekou}/classrooms", county))["classrooms"]![0]);
        foreach (var subject in subjects)
        {
            var pairing = await api.SendAsync(HttpMethod.Post, $"/api/alliances/{Id(alliance)}/pairings", chief, new
            {
                leadClassroomId = farRoom, leadTeacherId = farTeacher, ruralClassroomIds = new[] { hekouRoom }, subject, grade = "三年级",
                textbookEdition = "人音版", termName = "2027 春季学期", termStart = "2027-03-01", termEnd = "2027-06-30",
                slots = new[] { new { day = 2, start = "14:00", durationMinutes = 40 } },
            });
            Assert.Equal("pending", pairing["status"]!.GetValue<string>());
        }
        return Id(alliance);
    }
}
