using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>
/// Idempotency-Key on comments: a retry of one comment (its answer lost to a hung or failed node) is stored once and
/// answered with the first comment; a key reused for another comment is refused. Real PostgreSQL.
/// </summary>
public sealed class CommentIdempotencyTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    private static async Task<(HttpStatusCode Status, JsonElement Body, bool Replayed)> PostAsync(HttpClient client, string url, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task LessonComment_SameKeyTwice_StoredOnceAndRetryAnsweredWithTheFirst()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        var key = Guid.NewGuid().ToString("N");
        var comment = new { offsetSeconds = 61, body = "提问有层次" };

        var first = await PostAsync(s.Observer, $"{s.LessonUrl}/comments", comment, key);
        var retry = await PostAsync(s.Observer, $"{s.LessonUrl}/comments", comment, key);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, retry.Status);
        Assert.False(first.Replayed);
        Assert.True(retry.Replayed);
        Assert.Equal(first.Body.GetProperty("id").GetGuid(), retry.Body.GetProperty("id").GetGuid());
        var all = (await Api.GetAsync(s.Researcher, $"{s.LessonUrl}/comments")).Expect(HttpStatusCode.OK);
        Assert.Single(all.EnumerateArray(), c => c.GetProperty("body").GetString() == "提问有层次");
    }

    [Fact]
    public async Task LessonComment_WithoutKey_EachPostStoredAsBefore()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        var comment = new { offsetSeconds = 5, body = "开场紧凑" };

        var first = await PostAsync(s.Observer, $"{s.LessonUrl}/comments", comment, null);
        var second = await PostAsync(s.Observer, $"{s.LessonUrl}/comments", comment, null);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, second.Status);
        var all = (await Api.GetAsync(s.Researcher, $"{s.LessonUrl}/comments")).Expect(HttpStatusCode.OK);
        Assert.Equal(2, all.EnumerateArray().Count(c => c.GetProperty("body").GetString() == "开场紧凑"));
    }

    [Fact]
    public async Task LessonComment_KeyReusedForAnotherComment_409AndNothingStored()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        var key = Guid.NewGuid().ToString("N");
        await PostAsync(s.Observer, $"{s.LessonUrl}/comments", new { offsetSeconds = 10, body = "第一条" }, key);

        var reused = await PostAsync(s.Observer, $"{s.LessonUrl}/comments", new { offsetSeconds = 10, body = "第二条" }, key);
        // The same key from another person is their own action.
        var other = await PostAsync(s.Teacher, $"{s.LessonUrl}/comments", new { offsetSeconds = 10, body = "第二条" }, key);

        Assert.Equal(HttpStatusCode.Conflict, reused.Status);
        Assert.Equal("idempotency_key_reused", reused.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Created, other.Status);
        var all = (await Api.GetAsync(s.Researcher, $"{s.LessonUrl}/comments")).Expect(HttpStatusCode.OK);
        Assert.Single(all.EnumerateArray(), c => c.GetProperty("body").GetString() == "第二条");
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task LessonComment_MalformedKey_400AndNothingStored(string key)
    {
        var s = await ResearchSessionScenario.CreateAsync(server);

        var refused = await PostAsync(s.Observer, $"{s.LessonUrl}/comments", new { offsetSeconds = 1, body = "坏键" }, key);

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("invalid_idempotency_key", refused.Body.GetProperty("error").GetString());
        var all = (await Api.GetAsync(s.Researcher, $"{s.LessonUrl}/comments")).Expect(HttpStatusCode.OK);
        Assert.DoesNotContain(all.EnumerateArray(), c => c.GetProperty("body").GetString() == "坏键");
    }

    [Fact]
    public async Task PlanComment_SameKeyTwice_StoredOnce()
    {
        var (main, _) = await server.ClientAsync("teacher");
        var (_, memberId) = await server.ClientAsync("assistant2");
        var plan = (await Api.PostAsync(main, "/api/research/lesson-plans", new
        {
            subject = "数学",
            stage = "primary",
            grade = "三年级",
            chapter = "分数的初步认识",
            prepareAt = server.Clock.GetUtcNow().AddDays(2),
            place = "线上教研室",
            memberIds = new[] { memberId },
            body = "一、教学目标\n认识几分之一。",
        })).Expect(HttpStatusCode.Created);
        var url = $"/api/research/lesson-plans/{plan.GetProperty("plan").GetProperty("id").GetGuid()}/comments";
        var key = Guid.NewGuid().ToString("N");
        var comment = new { version = 1, paragraph = 0, body = "目标可量化" };

        var first = await PostAsync(main, url, comment, key);
        var retry = await PostAsync(main, url, comment, key);

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.True(retry.Replayed);
        Assert.Equal(first.Body.GetProperty("id").GetGuid(), retry.Body.GetProperty("id").GetGuid());
        var all = (await Api.GetAsync(main, url)).Expect(HttpStatusCode.OK);
        Assert.Single(all.EnumerateArray());
    }
}
