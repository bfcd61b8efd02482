using System.Collections.Concurrent;
using LiveClassroom.EndToEnd.Tests.Harness;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// Cluster__Nodes in real Chromium: when the page's own node cannot be reached, its hub connection moves to the next
/// listed node by itself — across origins, through the server's CORS and CSP — and the class goes on there (issue #20
/// item 1, client part). The second "node" is the same server under another origin (localhost for 127.0.0.1), so the
/// page's own origin can be made unreachable for the hub while everything else stays real.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ClusterNodeFailoverTests(EndToEndFixture fx)
{
    /// <summary>One server listing itself under two origins: the page's own (127.0.0.1) and "the next node" (localhost).</summary>
    private static Task<ServerProcess> TwoAddressServerAsync() => ServerProcess.StartAsync(environment: new Dictionary<string, string>
    {
        ["Cluster__Nodes"] = "http://127.0.0.1:{port},http://localhost:{port}",
    });

    [Fact]
    public async Task Console_OwnNodeRefusesHub_ConnectsThroughTheNextListedNodeAndClassRuns()
    {
        await using var server = await TwoAddressServerAsync();
        using var api = new DemoApi(server.BaseUrl);
        var scenario = await api.CreateScenarioAsync(fx.NextTag(), 1);
        await using var teacher = await BrowserSession.LaunchAsync(fx.Playwright, server.BaseUrl);
        var page = teacher.Page;
        teacher.ExpectServerDown();
        // The page's own node is down for the hub: its negotiate is refused as a dead server's would be.
        var ownHub = $"{server.BaseUrl.ToString().TrimEnd('/')}/hubs/classroom/negotiate**";
        await page.RouteAsync(ownHub, route => route.AbortAsync("connectionrefused"));
        var hubRequests = new ConcurrentQueue<string>();
        page.Request += (_, r) =>
        {
            if (r.Url.Contains("/hubs/classroom", StringComparison.Ordinal))
            {
                hubRequests.Enqueue(r.Url);
            }
        };

        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);

        await Expect(page.GetByTestId("class-state")).ToHaveTextAsync("上课中");
        Assert.Contains(hubRequests, u => u.StartsWith($"http://localhost:{server.BaseUrl.Port}/hubs/classroom", StringComparison.Ordinal));
        Assert.Contains(hubRequests, u => u.StartsWith(server.BaseUrl.ToString().TrimEnd('/') + "/hubs/classroom", StringComparison.Ordinal));
        teacher.AssertNoConsoleErrors();
    }

    /// <summary>
    /// REST calls fail over too (issue #20): once the page's own node cannot be reached, a GET the page needs (its
    /// timetable) goes to the next listed node and the page shows its answer.
    /// </summary>
    [Fact]
    public async Task Timetable_OwnNodeUnreachableForRest_ReadFromTheNextListedNode()
    {
        await using var server = await TwoAddressServerAsync();
        using var api = new DemoApi(server.BaseUrl);
        var scenario = await api.CreateScenarioAsync(fx.NextTag(), 1);
        await using var teacher = await BrowserSession.LaunchAsync(fx.Playwright, server.BaseUrl);
        var page = teacher.Page;
        teacher.ExpectServerDown();
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario); // the console's hub has fetched the node list
        var own = server.BaseUrl.ToString().TrimEnd('/');
        await page.RouteAsync($"{own}/api/me/lessons**", route => route.AbortAsync("connectionrefused"));
        var lessonRequests = new ConcurrentQueue<string>();
        page.Request += (_, r) =>
        {
            if (r.Url.Contains("/api/me/lessons", StringComparison.Ordinal))
            {
                lessonRequests.Enqueue(r.Url);
            }
        };

        await page.GoBackAsync(); // back to 今日课表 within the app: it reads the timetable again

        await Expect(page.GetByTestId("lesson").Filter(new() { HasText = scenario.PairingName })).ToHaveCountAsync(1);
        Assert.Contains(lessonRequests, u => u.StartsWith(own + "/api/me/lessons", StringComparison.Ordinal));
        Assert.Contains(lessonRequests, u => u.StartsWith($"http://localhost:{server.BaseUrl.Port}/api/me/lessons", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Timetable_OwnNodeHangsForRest_ReadFromTheNextListedNodeAfterTheHungTimeout()
    {
        await using var server = await TwoAddressServerAsync();
        using var api = new DemoApi(server.BaseUrl);
        var scenario = await api.CreateScenarioAsync(fx.NextTag(), 1);
        await using var teacher = await BrowserSession.LaunchAsync(fx.Playwright, server.BaseUrl);
        var page = teacher.Page;
        teacher.ExpectServerDown();
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);
        var own = server.BaseUrl.ToString().TrimEnd('/');
        // The page's own node accepts the call and never answers it (a stopped process, a swapping machine).
        var held = new ConcurrentQueue<IRoute>();
        await page.RouteAsync($"{own}/api/me/lessons**", route =>
        {
            held.Enqueue(route);
            return Task.CompletedTask;
        });
        var answered = new ConcurrentQueue<string>();
        page.Response += (_, r) =>
        {
            if (r.Url.Contains("/api/me/lessons", StringComparison.Ordinal))
            {
                answered.Enqueue(r.Url);
            }
        };

        await page.GoBackAsync();

        await Expect(page.GetByTestId("lesson").Filter(new() { HasText = scenario.PairingName })).ToHaveCountAsync(1, new() { Timeout = 40_000 });
        Assert.NotEmpty(held);
        Assert.Contains(answered, u => u.StartsWith($"http://localhost:{server.BaseUrl.Port}/api/me/lessons", StringComparison.Ordinal));
        Assert.DoesNotContain(answered, u => u.StartsWith(own + "/api/me/lessons", StringComparison.Ordinal));
    }
}
