using System.Net;
using System.Text.Json;
using LiveClassroom.Server.Jobs;
using LiveClassroom.Server.Tests.Recording;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Jobs;

public sealed class JobQueueTests
{
    private static async Task<RecordingServerFactory> StartAsync(params IJobHandler[] handlers)
    {
        var f = new RecordingServerFactory
        {
            ExtraServices = s =>
            {
                foreach (var h in handlers)
                {
                    s.AddSingleton(h);
                }
            },
        };
        await f.InitializeAsync();
        _ = f.Server;
        return f;
    }

    private static Task<JobRow> WaitForAsync(RecordingServerFactory f, long id, string status) =>
        Eventually.WaitAsync(async () => (await f.Services.GetRequiredService<JobQueue>().GetAsync(id))!, j => j.Status == status,
            TimeSpan.FromSeconds(30), $"job {id} {status}");

    [Fact]
    public void Backoff_SuccessiveAttempts_DoubleUpToTheCap()
    {
        var o = new JobOptions { RetryBaseSeconds = 5, RetryMaxSeconds = 60 };

        Assert.Equal([5, 10, 20, 40, 60, 60], Enumerable.Range(1, 6).Select(a => o.Backoff(a).TotalSeconds));
    }

    [Fact]
    public async Task Worker_HandlerFailsTwice_RetriedWithGrowingBackoffThenSucceeds()
    {
        var flaky = new FlakyHandler("test.flaky", failures: 2);
        await using var f = await StartAsync(flaky);
        var queue = f.Services.GetRequiredService<JobQueue>();

        var id = await queue.EnqueueAsync("test.flaky", "one", new { n = 1 });
        var job = await WaitForAsync(f, id, "succeeded");

        Assert.Equal(3, job.Attempts);
        Assert.Equal(3, flaky.Runs);
        Assert.Equal(100, job.Progress);
        Assert.Null(job.LastError);
        // Base 0.2 s: the second retry waits at least twice as long as the first.
        Assert.True(flaky.Gaps[0] >= TimeSpan.FromSeconds(0.2), $"first gap {flaky.Gaps[0]}");
        Assert.True(flaky.Gaps[1] >= TimeSpan.FromSeconds(0.4), $"second gap {flaky.Gaps[1]}");
    }

    [Fact]
    public async Task Worker_HandlerAlwaysFails_FailedAfterMaxAttemptsAndShownToAdmins()
    {
        var broken = new FlakyHandler("test.broken", failures: int.MaxValue);
        await using var f = await StartAsync(broken);
        var queue = f.Services.GetRequiredService<JobQueue>();
        var county = await TestPeople.GetAsync(f.Services, "admin");

        var id = await queue.EnqueueAsync("test.broken", "one", new { n = 1 }, county.OrganisationId, maxAttempts: 3);
        var job = await WaitForAsync(f, id, "failed");

        Assert.Equal(3, job.Attempts);
        Assert.Contains("planned failure 3", job.LastError, StringComparison.Ordinal);
        using var admin = await TestPeople.ClientAsync(f, "admin");
        using var json = JsonDocument.Parse(await admin.GetStringAsync("/api/admin/jobs?status=failed"));
        var item = json.RootElement.GetProperty("items").EnumerateArray().Single(j => j.GetProperty("id").GetInt64() == id);
        Assert.Equal("test.broken", item.GetProperty("kind").GetString());
        Assert.Equal(3, item.GetProperty("attempts").GetInt32());
        using var teacher = await TestPeople.ClientAsync(f, "teacher");
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/api/admin/jobs")).StatusCode);
    }

    [Fact]
    public async Task Enqueue_SameKindAndKeyTwice_OneJob()
    {
        await using var f = await StartAsync();
        var queue = f.Services.GetRequiredService<JobQueue>();

        var a = await queue.EnqueueAsync("test.none", "same", new { n = 1 });
        var b = await queue.EnqueueAsync("test.none", "same", new { n = 2 });

        Assert.Equal(a, b);
        Assert.Single(await queue.ListAsync(null, null, 50), j => j.Kind == "test.none");
    }

    [Fact]
    public async Task Claim_ManyWorkersAtOnce_EachJobClaimedExactlyOnce()
    {
        await using var f = await StartAsync();
        var queue = f.Services.GetRequiredService<JobQueue>();
        var ids = new List<long>();
        for (var i = 0; i < 8; i++)
        {
            ids.Add(await queue.EnqueueAsync("test.unhandled", $"k{i}", new { i }));
        }

        var claims = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => queue.ClaimAsync(["test.unhandled"], default)));

        var claimed = claims.Where(c => c is not null).Select(c => c!.Id).ToList();
        Assert.Equal(ids.Order(), claimed.Order());
        Assert.All(claims.Where(c => c is not null), c => Assert.Equal("test-node", c!.LockedBy));
    }
}
