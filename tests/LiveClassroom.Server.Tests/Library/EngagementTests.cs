using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveClassroom.Server.Recording;
using LiveClassroom.Server.Tests.Recording;

namespace LiveClassroom.Server.Tests.Library;

public sealed class EngagementTests(RecordingServerFactory factory) : IClassFixture<RecordingServerFactory>
{
    private static async Task<double> WatchAsync(HttpClient client, Guid id, double position)
    {
        var view = await LibraryFlow.PostAsync(client, $"/api/library/resources/{id}/views", null, 201);
        var progress = await LibraryFlow.PostAsync(client, $"/api/library/views/{view.GetProperty("viewId").GetGuid()}/progress",
            new { positionSeconds = position });
        return progress.GetProperty("completion").GetDouble();
    }

    [Fact]
    public async Task ViewsCompletionAndRatings_FeedTheRanking()
    {
        var best = await LibraryFlow.DraftAsync(factory, new CourseInfo("最佳课例", "小学", "三年级", "数学"));
        var weaker = await LibraryFlow.DraftAsync(factory, new CourseInfo("普通课例", "小学", "三年级", "数学"));
        var draft = await LibraryFlow.DraftAsync(factory, new CourseInfo("未发布课例"));
        await LibraryFlow.PublishAsync(factory, best);
        await LibraryFlow.PublishAsync(factory, weaker);
        using var a1 = await TestPeople.ClientAsync(factory, "assistant1");
        using var a2 = await TestPeople.ClientAsync(factory, "assistant2");

        Assert.Equal(1.0, await WatchAsync(a1, best, 1000));
        Assert.InRange(await WatchAsync(a2, best, 2), 0.3, 0.7);
        Assert.InRange(await WatchAsync(a1, weaker, 0.4), 0.05, 0.2);
        Assert.Equal(HttpStatusCode.OK, (await a1.PutAsJsonAsync($"/api/library/resources/{best}/rating", new { stars = 5 })).StatusCode);
        using var changed = await a1.PutAsJsonAsync($"/api/library/resources/{best}/rating", new { stars = 4 });
        await a2.PutAsJsonAsync($"/api/library/resources/{best}/rating", new { stars = 5 });
        await a1.PutAsJsonAsync($"/api/library/resources/{weaker}/rating", new { stars = 2 });

        using (var stats = JsonDocument.Parse(await changed.Content.ReadAsStringAsync()))
        {
            Assert.Equal(1, stats.RootElement.GetProperty("ratingCount").GetInt64());
            Assert.Equal(4, stats.RootElement.GetProperty("myRating").GetInt32());
        }
        using var ranking = JsonDocument.Parse(await a2.GetStringAsync("/api/library/ranking?period=month"));
        var items = ranking.RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([best, weaker], items.Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(2, items[0].GetProperty("views").GetInt64());
        Assert.Equal(2, items[0].GetProperty("ratingCount").GetInt64());
        Assert.Equal(4.5, items[0].GetProperty("ratingAverage").GetDouble(), 3);
        using var term = JsonDocument.Parse(await a2.GetStringAsync("/api/library/ranking?period=term"));
        Assert.Equal(best, term.RootElement.GetProperty("items")[0].GetProperty("id").GetGuid());

        Assert.Equal(HttpStatusCode.BadRequest, (await a1.GetAsync("/api/library/ranking?period=year")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await a1.PutAsJsonAsync($"/api/library/resources/{best}/rating", new { stars = 6 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a1.PutAsJsonAsync($"/api/library/resources/{draft}/rating", new { stars = 3 })).StatusCode);
        var view = await LibraryFlow.PostAsync(a1, $"/api/library/resources/{best}/views", null, 201);
        using var foreign = await a2.PostAsJsonAsync($"/api/library/views/{view.GetProperty("viewId").GetGuid()}/progress", new { positionSeconds = 1 });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
}
