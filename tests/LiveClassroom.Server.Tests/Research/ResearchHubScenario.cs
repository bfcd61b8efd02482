using System.Text.Json.Nodes;
using LiveClassroom.Testing.SignalR;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>
/// A <see cref="ResearchSessionScenario"/> joined over the research hub: the host (researcher), a participant
/// (teacher) and an observer (assistant1), each on their own WebSocket.
/// </summary>
public sealed class ResearchHubScenario : IAsyncDisposable
{
    public required ResearchSessionScenario Session { get; init; }
    public required HubTestClient Host { get; init; }
    public required HubTestClient Teacher { get; init; }
    public required HubTestClient Observer { get; init; }
    public required JsonNode HostJoin { get; init; }
    public required JsonNode TeacherJoin { get; init; }
    public required JsonNode ObserverJoin { get; init; }

    public string Id => Session.SessionId.ToString();

    public static async Task<ResearchHubScenario> CreateAsync(ResearchServer server, bool start = true)
    {
        var session = await ResearchSessionScenario.CreateAsync(server, start: false);
        var (host, _) = await server.HubAsync("researcher");
        var (teacher, _) = await server.HubAsync("teacher");
        var (observer, _) = await server.HubAsync("assistant1");
        var id = session.SessionId.ToString();
        var hostJoin = (await host.InvokeAsync("JoinSession", id))!;
        var teacherJoin = (await teacher.InvokeAsync("JoinSession", id))!;
        var observerJoin = (await observer.InvokeAsync("JoinSession", id))!;
        if (start)
        {
            await host.InvokeAsync("StartSession", id);
        }
        return new ResearchHubScenario
        {
            Session = session,
            Host = host,
            Teacher = teacher,
            Observer = observer,
            HostJoin = hostJoin,
            TeacherJoin = teacherJoin,
            ObserverJoin = observerJoin,
        };
    }

    /// <summary>The code of the hub error <paramref name="call"/> fails with (null if it succeeds).</summary>
    public static async Task<string?> ErrorCodeAsync(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (HubInvocationException ex)
        {
            Assert.False(string.IsNullOrWhiteSpace(ex.Details?["messageZh"]?.GetValue<string>()), "refusal without a Chinese message: " + ex.Message);
            return ex.Code ?? "unparsed: " + ex.Message;
        }
    }

    /// <summary>Polls <c>Resync</c> on <paramref name="client"/> until <paramref name="until"/> holds for the snapshot, or fails at the deadline.</summary>
    public async Task<JsonNode> ResyncUntilAsync(HubTestClient client, Func<JsonNode, bool> until, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var snapshot = (await client.InvokeAsync("Resync", Id))!;
            if (until(snapshot))
            {
                return snapshot;
            }
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}; last snapshot {snapshot.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Teacher.DisposeAsync();
        await Observer.DisposeAsync();
    }
}
