using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class AdminPagesTests(EndToEndFixture fx)
{
    [Fact]
    public async Task Organisations_CreateSchoolAndClassroom_InvalidNameExplainedNextToField()
    {
        var tag = fx.NextTag();
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        await browser.LoginAsync("admin");
        await page.GotoAsync("/admin/organisations");
        var tree = page.GetByTestId("org-tree");
        await tree.GetByRole(AriaRole.Button, new() { Name = "县 示范县", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "新建下级学校" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Expect(page.Locator("#org-child-name-error")).ToHaveTextAsync("此项为必填项。");
        await Expect(page.Locator("#org-child-name")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.Locator("#org-child-name").FillAsync($"{tag}新村小学");
        await page.GetByLabel("乡村学校").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        var school = tree.GetByRole(AriaRole.Button).Filter(new() { HasText = $"{tag}新村小学" });
        await Expect(school).ToContainTextAsync("乡村");

        await school.ClickAsync();
        await page.GetByLabel("教室名称").FillAsync("一年级教室");
        await page.GetByRole(AriaRole.Button, new() { Name = "添加教室" }).ClickAsync();
        await Expect(page.GetByTestId("classroom-list")).ToContainTextAsync("一年级教室");
        await browser.ScreenshotAsync("admin-organisations");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task People_CreateWithBadThenTakenThenGoodInput_ExplainsEachField()
    {
        var tag = fx.NextTag().ToLowerInvariant();
        await using var browser = await fx.LaunchAsync();
        browser.ExpectFailedRequest(400); // the taken username, refused by the server
        var page = browser.Page;
        await browser.LoginAsync("admin");
        await page.GotoAsync("/admin/people");
        var form = page.GetByTestId("person-form");
        await Expect(page.GetByTestId("people-table")).ToContainTextAsync("王芳");

        await form.GetByLabel("用户名").FillAsync("No Spaces");
        await form.GetByLabel("初始密码").FillAsync("short");
        await form.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Expect(page.Locator("#person-username-error")).ToContainTextAsync("3–64");
        await Expect(page.Locator("#person-displayName-error")).ToHaveTextAsync("此项为必填项。");
        await Expect(page.Locator("#person-password-error")).ToHaveTextAsync("密码至少 8 个字符。");
        await Expect(page.Locator("#person-organisationId-error")).ToHaveTextAsync("此项为必填项。");

        await form.GetByLabel("用户名").FillAsync("teacher");
        await form.GetByLabel("姓名").FillAsync("重名老师");
        await form.GetByLabel("初始密码").FillAsync("long-enough-1");
        await form.GetByLabel("所属机构").SelectOptionAsync(new SelectOptionValue { Label = "示范省 / 示范市 / 示范县 / 示范县第一实验小学" });
        await form.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Expect(page.Locator("#person-username-error")).ToHaveTextAsync("已被占用，请换一个。");

        await form.GetByLabel("用户名").FillAsync($"{tag}.teacher");
        await form.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Status)).ToHaveTextAsync("已添加“重名老师”。");
        await Expect(page.GetByTestId("people-table")).ToContainTextAsync($"{tag}.teacher");
        await browser.ScreenshotAsync("admin-people");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task PairingsAndLiveRooms_ShowTimetableAndTheLiveClassWithItsClassrooms()
    {
        var scenario = await fx.Api.CreateScenarioAsync(fx.NextTag(), ruralCount: 2);
        await fx.Api.OpenLessonAsync(scenario.PairingId);
        await using var browser = await fx.LaunchAsync();
        var page = browser.Page;
        await browser.LoginAsync("admin");

        await page.GotoAsync("/admin/pairings");
        var row = page.GetByTestId("pairing-table").GetByRole(AriaRole.Row).Filter(new() { HasText = scenario.PairingName });
        await Expect(row).ToContainTextAsync(ClassPages.Label(scenario.RuralClassrooms[1]));
        await row.GetByRole(AriaRole.Button, new() { Name = "课表" }).ClickAsync();
        var editor = page.GetByTestId("timetable-editor");
        await Expect(editor.GetByLabel("学期名称")).ToHaveValueAsync("测试学期");
        // In the last 30 minutes before the school's midnight (15:30–16:00 UTC) the scenario also stands at tomorrow's
        // 00:00 (DemoApi.TimetableWithLessonsNow): two slot rows, each with its own lessons.
        var durations = editor.GetByLabel("时长（分钟）");
        await Expect(durations.First).ToHaveValueAsync("120");
        var rows = await durations.CountAsync();
        // 即将上课: per slot, its next lesson (today's, not over yet) and the four weeks after it, none of the term's past lessons.
        await Expect(editor.GetByTestId("upcoming-lesson")).ToHaveCountAsync(5 * rows);

        await page.GetByRole(AriaRole.Link, new() { Name = "正在上课" }).ClickAsync();
        var live = page.GetByTestId("live-rooms").GetByRole(AriaRole.Region).Filter(new() { HasText = scenario.PairingName });
        await Expect(live).ToContainTextAsync(ClassPages.Label(scenario.RuralClassrooms[0]));
        await Expect(live).ToContainTextAsync("缺席");
        await browser.ScreenshotAsync("admin-live");
        browser.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task PairingForm_CreateClearsFormAndRefusesDuplicate_NewPairingTimetableOpensEmpty()
    {
        var tag = fx.NextTag();
        var scenario = await fx.Api.CreateScenarioAsync(tag, ruralCount: 1);
        var room = ClassPages.Label(scenario.RuralClassrooms[0]);
        await using var browser = await fx.LaunchAsync();
        browser.ExpectFailedRequest(409); // the duplicate, refused by the server
        var page = browser.Page;
        await browser.LoginAsync("admin");
        await page.GotoAsync("/admin/pairings");
        var form = page.Locator("form").Filter(new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "新建结对" }) });
        var name = $"{tag} 数学 1+1";
        async Task FillAsync()
        {
            await form.GetByLabel("结对名称").FillAsync(name);
            await form.GetByLabel("主讲教室", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = $"示范县第一实验小学 · 主讲教室 {tag}" });
            await form.GetByLabel("主讲教师").SelectOptionAsync(new SelectOptionValue { Label = "王芳（示范县第一实验小学）" });
            await form.GetByLabel(room).CheckAsync();
            await form.GetByLabel("学科").FillAsync("数学");
            await form.GetByLabel("年级", new() { Exact = true }).FillAsync("三年级");
            await form.GetByLabel("教材版本").FillAsync("人教版");
        }

        await FillAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Expect(form.GetByRole(AriaRole.Status)).ToHaveTextAsync($"已创建结对“{name}”。");
        // A cleared form: a second click cannot make the same pairing again.
        await Expect(form.GetByLabel("结对名称")).ToHaveValueAsync("");
        await Expect(form.GetByLabel("学科")).ToHaveValueAsync("");
        await Expect(form.GetByLabel(room)).Not.ToBeCheckedAsync();

        // Filled in again by hand: the server refuses the duplicate and says why; the table lists it once.
        await FillAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "创建" }).ClickAsync();
        await Expect(form.GetByTestId("notice-error")).ToHaveTextAsync("该主讲教室本学期已有同一学科的结对，未重复创建。");
        var rows = page.GetByTestId("pairing-table").GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(rows).ToHaveCountAsync(1);

        // A brand-new pairing has no timetable: the editor opens empty with nothing upcoming, and nothing is logged as an error.
        await rows.GetByRole(AriaRole.Button, new() { Name = "课表" }).ClickAsync();
        var editor = page.GetByTestId("timetable-editor");
        await Expect(editor.GetByLabel("学期名称")).ToHaveValueAsync("");
        await Expect(editor.GetByTestId("no-upcoming")).ToHaveTextAsync("没有即将上课的课程。");
        browser.AssertNoConsoleErrors();
    }
}
