using System.Net;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>集体备课 lesson plans: versions with authors, optimistic revisions, diff, anchored comments, links.</summary>
public sealed class LessonPlanApiTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    private const string Draft = "一、教学目标\n认识几分之一。\n\n二、教学重难点\n理解平均分。\n\n三、教学过程\n导入：分月饼。";
    private const string Revised = "一、教学目标\n认识几分之一，会读写。\n\n二、教学重难点\n理解平均分。\n\n三、教学过程\n导入：分月饼。\n练习：折纸表示二分之一。";

    private async Task<(HttpClient Main, Guid MainId, HttpClient Member, Guid MemberId, Guid PlanId)> CreatePlanAsync()
    {
        var (main, mainId) = await server.ClientAsync("teacher");
        var (member, memberId) = await server.ClientAsync("assistant2");
        var plan = (await Api.PostAsync(main, "/api/research/lesson-plans", new
        {
            subject = "数学",
            stage = "primary",
            grade = "三年级",
            chapter = "分数的初步认识",
            prepareAt = server.Clock.GetUtcNow().AddDays(2),
            place = "线上教研室",
            memberIds = new[] { memberId },
            body = Draft,
        })).Expect(HttpStatusCode.Created);
        return (main, mainId, member, memberId, plan.GetProperty("plan").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task AddVersion_ByGroupMember_RecordsAuthorAndDiffShowsTheChange()
    {
        var (main, mainId, member, memberId, planId) = await CreatePlanAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(30));

        var v2 = (await Api.PostAsync(member, $"/api/research/lesson-plans/{planId}/versions", new { body = Revised, summary = "补充练习", baseVersion = 1 }))
            .Expect(HttpStatusCode.Created);
        var diff = (await Api.GetAsync(main, $"/api/research/lesson-plans/{planId}/diff?from=1&to=2")).Expect(HttpStatusCode.OK);
        var plan = (await Api.GetAsync(main, $"/api/research/lesson-plans/{planId}")).Expect(HttpStatusCode.OK);

        Assert.Equal(2, v2.GetProperty("version").GetInt32());
        Assert.Equal(memberId, v2.GetProperty("authorId").GetGuid());
        var versions = plan.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([mainId, memberId], versions.Select(v => v.GetProperty("authorId").GetGuid()));
        Assert.Equal(server.Clock.GetUtcNow(), versions[1].GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(Revised, plan.GetProperty("latest").GetProperty("body").GetString());
        var changed = diff.GetProperty("lines").EnumerateArray().Where(l => l.GetProperty("op").GetString() != "equal")
            .Select(l => $"{l.GetProperty("op").GetString()} {l.GetProperty("text").GetString()}").ToList();
        Assert.Equal(["delete 认识几分之一。", "insert 认识几分之一，会读写。", "insert 练习：折纸表示二分之一。"], changed);
        Assert.Equal(2, diff.GetProperty("inserted").GetInt32());
    }

    [Fact]
    public async Task AddVersion_FromStaleBase_ConflictAndNewerVersionKept()
    {
        var (main, _, member, _, planId) = await CreatePlanAsync();
        (await Api.PostAsync(member, $"/api/research/lesson-plans/{planId}/versions", new { body = Revised, baseVersion = 1 })).Expect(HttpStatusCode.Created);

        var code = (await Api.PostAsync(main, $"/api/research/lesson-plans/{planId}/versions", new { body = "覆盖", baseVersion = 1 })).ExpectError(HttpStatusCode.Conflict);

        Assert.Equal("version_conflict", code);
        var plan = (await Api.GetAsync(main, $"/api/research/lesson-plans/{planId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, plan.GetProperty("versions").GetArrayLength());
        Assert.Equal(Revised, plan.GetProperty("latest").GetProperty("body").GetString());
    }

    [Fact]
    public async Task Comment_OnVersionParagraph_KeptWithAnchorAndOutOfRangeParagraphRefused()
    {
        var (main, _, member, _, planId) = await CreatePlanAsync();

        (await Api.PostAsync(member, $"/api/research/lesson-plans/{planId}/comments", new { version = 1, paragraph = 1, body = "难点可再具体些" })).Expect(HttpStatusCode.Created);
        var code = (await Api.PostAsync(member, $"/api/research/lesson-plans/{planId}/comments", new { version = 1, paragraph = 7, body = "越界" })).ExpectError(HttpStatusCode.BadRequest);
        var missing = (await Api.PostAsync(member, $"/api/research/lesson-plans/{planId}/comments", new { version = 9, body = "无此版本" })).ExpectError(HttpStatusCode.NotFound);

        Assert.Equal("invalid_paragraph", code);
        Assert.Equal("version_not_found", missing);
        var comments = (await Api.GetAsync(main, $"/api/research/lesson-plans/{planId}/comments")).Expect(HttpStatusCode.OK);
        var only = Assert.Single(comments.EnumerateArray());
        Assert.Equal(1, only.GetProperty("version").GetInt32());
        Assert.Equal(1, only.GetProperty("paragraph").GetInt32());
    }

    [Fact]
    public async Task GetPlan_ByTeacherOutsideTheGroup_Forbidden()
    {
        var (_, _, _, _, planId) = await CreatePlanAsync();
        var (outsider, _) = await server.ClientAsync("assistant3");

        var code = (await Api.GetAsync(outsider, $"/api/research/lesson-plans/{planId}")).ExpectError(HttpStatusCode.Forbidden);

        Assert.Equal("not_in_group", code);
    }

    [Fact]
    public async Task Links_SessionAndFollowUpRecording_StoredOnThePlan()
    {
        var (main, _, _, _, planId) = await CreatePlanAsync();
        var recording = await server.RecordingAsync();

        (await Api.PutAsync(main, $"/api/research/lesson-plans/{planId}/links", new { recordingId = recording })).Expect(HttpStatusCode.OK);
        var code = (await Api.PutAsync(main, $"/api/research/lesson-plans/{planId}/links", new { recordingId = Guid.NewGuid() })).ExpectError(HttpStatusCode.NotFound);

        Assert.Equal("recording_not_found", code);
        var plan = (await Api.GetAsync(main, $"/api/research/lesson-plans/{planId}")).Expect(HttpStatusCode.OK);
        Assert.Equal(recording, plan.GetProperty("plan").GetProperty("recordingId").GetGuid());
    }
}
