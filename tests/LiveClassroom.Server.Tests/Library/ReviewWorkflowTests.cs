using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveClassroom.Server.Recording;
using LiveClassroom.Server.Tests.Recording;

namespace LiveClassroom.Server.Tests.Library;

public sealed class ReviewWorkflowTests(RecordingServerFactory factory) : IClassFixture<RecordingServerFactory>
{
    [Fact]
    public async Task Review_SchoolThenCountyApprove_PublishedAndFindableByTeacherOfAnotherSchool()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var id = await LibraryFlow.DraftAsync(factory, new CourseInfo($"分数的初步认识{tag}", "小学", "三年级", "数学", "人教版", "第八单元"));
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        using var school = await TestPeople.ClientAsync(factory, "schooladmin");
        using var county = await TestPeople.ClientAsync(factory, "admin");
        using var other = await TestPeople.ClientAsync(factory, "assistant1");

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/library/resources/{id}")).StatusCode);
        await LibraryFlow.PostAsync(teacher, $"/api/library/resources/{id}/submit", null);
        await LibraryFlow.PostAsync(county, $"/api/library/resources/{id}/review", new { decision = "approve" }, 403);
        using (var queue = JsonDocument.Parse(await school.GetStringAsync("/api/library/review-queue")))
        {
            Assert.Contains(queue.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);
        }
        var afterSchool = await LibraryFlow.PostAsync(school, $"/api/library/resources/{id}/review", new { decision = "approve" });
        Assert.Equal("pending_county", afterSchool.GetProperty("status").GetString());
        await LibraryFlow.PostAsync(school, $"/api/library/resources/{id}/review", new { decision = "approve" }, 403);
        Assert.Empty(await LibraryFlow.SearchAsync(other, "q=" + Uri.EscapeDataString(tag)));
        using (var queue = JsonDocument.Parse(await county.GetStringAsync("/api/library/review-queue")))
        {
            Assert.Contains(queue.RootElement.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);
        }
        var published = await LibraryFlow.PostAsync(county, $"/api/library/resources/{id}/review", new { decision = "approve" });
        Assert.Equal("published", published.GetProperty("status").GetString());

        Assert.Contains(id, await LibraryFlow.SearchAsync(other, "subject=" + Uri.EscapeDataString("数学") + "&grade=" + Uri.EscapeDataString("三年级")));
        Assert.Contains(id, await LibraryFlow.SearchAsync(other, "q=" + Uri.EscapeDataString("初步认识" + tag)));
        Assert.Contains(id, await LibraryFlow.SearchAsync(other, "stage=" + Uri.EscapeDataString("小学") + "&textbookEdition=" + Uri.EscapeDataString("人教版")));
        Assert.DoesNotContain(id, await LibraryFlow.SearchAsync(other, "subject=" + Uri.EscapeDataString("语文")));
        using var detail = JsonDocument.Parse(await other.GetStringAsync($"/api/library/resources/{id}"));
        Assert.Contains(detail.RootElement.GetProperty("chapters").EnumerateArray(),
            c => c.GetProperty("type").GetString() == "class_started" && c.GetProperty("labelZh").GetString() == "上课");
        Assert.Equal(0, detail.RootElement.GetProperty("reviews").GetArrayLength());
        var hls = detail.RootElement.GetProperty("resource").GetProperty("urls").GetProperty("hls").GetString()!;

        var playlist = await other.GetStringAsync(hls);
        Assert.Contains("#EXT-X-ENDLIST", playlist, StringComparison.Ordinal);
        var segment = playlist.Split('\n').First(l => l.EndsWith(".ts", StringComparison.Ordinal));
        using var segmentResponse = await other.GetAsync(hls[..hls.LastIndexOf('/')] + "/" + segment);
        Assert.Equal(HttpStatusCode.OK, segmentResponse.StatusCode);
        Assert.Equal("video/mp2t", segmentResponse.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync($"/api/library/resources/{id}/poster.jpg")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().GetAsync(hls)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/library/resources/{id}/hls/..%2F..%2Fetc%2Fpasswd")).StatusCode);
    }

    [Fact]
    public async Task Review_RejectedAtCounty_NeedsReasonAndStaysInvisibleToOtherSchools()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var id = await LibraryFlow.DraftAsync(factory, new CourseInfo($"退回课例{tag}", "小学", "四年级", "语文"));
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        using var school = await TestPeople.ClientAsync(factory, "schooladmin");
        using var county = await TestPeople.ClientAsync(factory, "admin");
        using var other = await TestPeople.ClientAsync(factory, "assistant2");
        await LibraryFlow.PostAsync(teacher, $"/api/library/resources/{id}/submit", null);
        await LibraryFlow.PostAsync(school, $"/api/library/resources/{id}/review", new { decision = "approve" });

        var noReason = await LibraryFlow.PostAsync(county, $"/api/library/resources/{id}/review", new { decision = "reject" }, 400);
        Assert.Equal("invalid_request", noReason.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(noReason.GetProperty("messageZh").GetString()));
        var rejected = await LibraryFlow.PostAsync(county, $"/api/library/resources/{id}/review", new { decision = "reject", reason = "画面不清晰" });

        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/library/resources/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/library/resources/{id}/hls/index.m3u8")).StatusCode);
        Assert.Empty(await LibraryFlow.SearchAsync(other, "q=" + Uri.EscapeDataString(tag)));
        using var mine = JsonDocument.Parse(await teacher.GetStringAsync($"/api/library/resources/{id}"));
        Assert.Equal("画面不清晰", mine.RootElement.GetProperty("resource").GetProperty("lastReason").GetString());
        Assert.True(mine.RootElement.GetProperty("canEdit").GetBoolean());
        Assert.Equal(["submitted", "approved", "rejected"],
            mine.RootElement.GetProperty("reviews").EnumerateArray().Select(r => r.GetProperty("decision").GetString()));
        using var edited = await teacher.PatchAsJsonAsync($"/api/library/resources/{id}", new { title = $"重新录制的课例{tag}" });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        var resubmitted = await LibraryFlow.PostAsync(teacher, $"/api/library/resources/{id}/submit", null);
        Assert.Equal("pending_school", resubmitted.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Takedown_PublishedResource_OnlyCountyAdminWithReasonAndThenGoneForOthers()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var id = await LibraryFlow.DraftAsync(factory, new CourseInfo($"下架课例{tag}", "小学", "五年级", "英语"));
        await LibraryFlow.PublishAsync(factory, id);
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        using var school = await TestPeople.ClientAsync(factory, "schooladmin");
        using var county = await TestPeople.ClientAsync(factory, "admin");
        using var other = await TestPeople.ClientAsync(factory, "assistant3");
        Assert.Contains(id, await LibraryFlow.SearchAsync(other, "q=" + Uri.EscapeDataString(tag)));
        using (var playlist = await other.GetAsync($"/api/library/resources/{id}/hls/index.m3u8"))
        {
            Assert.Equal(HttpStatusCode.OK, playlist.StatusCode);
            // A browser must ask again on every use, or it would keep playing from its cache after the takedown.
            Assert.True(playlist.Headers.CacheControl is { NoCache: true, Private: true }, $"Cache-Control: {playlist.Headers.CacheControl}");
        }

        await LibraryFlow.PostAsync(teacher, $"/api/library/resources/{id}/takedown", new { reason = "x" }, 403);
        await LibraryFlow.PostAsync(school, $"/api/library/resources/{id}/takedown", new { reason = "x" }, 403);
        await LibraryFlow.PostAsync(county, $"/api/library/resources/{id}/takedown", new { }, 400);
        var down = await LibraryFlow.PostAsync(county, $"/api/library/resources/{id}/takedown", new { reason = "版权问题" });

        Assert.Equal("taken_down", down.GetProperty("status").GetString());
        Assert.Empty(await LibraryFlow.SearchAsync(other, "q=" + Uri.EscapeDataString(tag)));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/library/resources/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/library/resources/{id}/video.mp4")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/library/resources/{id}/hls/index.m3u8")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await teacher.GetAsync($"/api/library/resources/{id}")).StatusCode);
    }

    [Fact]
    public async Task Edit_OnlyTheAuthorAndOnlyBeforePublishing()
    {
        var id = await LibraryFlow.DraftAsync(factory, new CourseInfo("编辑课例", "初中", "七年级", "物理"));
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        using var school = await TestPeople.ClientAsync(factory, "schooladmin");

        Assert.Equal(HttpStatusCode.Forbidden, (await school.PatchAsJsonAsync($"/api/library/resources/{id}", new { title = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await teacher.PatchAsJsonAsync($"/api/library/resources/{id}", new { stage = "大学" })).StatusCode);
        using var ok = await teacher.PatchAsJsonAsync($"/api/library/resources/{id}", new { chapter = "第一章 机械运动", textbookEdition = "沪科版" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using (var json = JsonDocument.Parse(await ok.Content.ReadAsStringAsync()))
        {
            Assert.Equal("第一章 机械运动", json.RootElement.GetProperty("chapter").GetString());
            Assert.Equal("编辑课例", json.RootElement.GetProperty("title").GetString());
        }
        await LibraryFlow.PublishAsync(factory, id);
        Assert.Equal(HttpStatusCode.Conflict, (await teacher.PatchAsJsonAsync($"/api/library/resources/{id}", new { title = "改标题" })).StatusCode);
    }
}
