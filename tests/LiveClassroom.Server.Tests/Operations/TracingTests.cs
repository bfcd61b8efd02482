using System.Collections.Concurrent;
using System.Diagnostics;
using LiveClassroom.Server.Operations;
using LiveClassroom.Server.Tests.Hubs;
using Orleans.Diagnostics;

namespace LiveClassroom.Server.Tests.Operations;

/// <summary>
/// One trace per hub call: SignalR's span of the invocation, Orleans' spans of the grain call (client and server side,
/// carried by activity propagation) and the server's span of the SFU negotiation, each the child of the one before.
/// </summary>
public sealed class TracingTests(SfuHubServerFactory factory) : IClassFixture<SfuHubServerFactory>
{
    [Fact]
    public async Task Negotiate_HubCallGrainCallAndMediaNegotiation_AreOneTrace()
    {
        var spans = new ConcurrentDictionary<ActivitySpanId, Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is ServerTracing.SignalRSourceName or ServerTracing.SourceName
                || s.Name == ActivitySources.ApplicationGrainActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans[a.SpanId] = a,
        };
        ActivitySource.AddActivityListener(listener);

        // Open, join and negotiate: the last is the call traced here.
        var (classId, lead) = await MetricsTests.OpenClassWithReceivingLeadAsync(factory);
        await using var _ = lead;

        // The hub answers after the grain, and the grain after the media plane: every span of this call has stopped.
        var negotiation = Assert.Single(spans.Values, a => a.OperationName == "media.negotiate" && Equals(a.GetTagItem("liveclassroom.room"), classId));
        Assert.Equal(ActivityStatusCode.Unset, negotiation.Status);
        var chain = new List<Activity>();
        for (var span = negotiation; span is not null; span = spans.GetValueOrDefault(span.ParentSpanId))
        {
            chain.Add(span);
            Assert.Equal(negotiation.TraceId, span.TraceId);
        }
        var sources = chain.Select(a => a.Source.Name).ToList();
        Assert.True(sources.Count >= 3, "spans from the negotiation up: " + string.Join(" ← ", chain.Select(a => $"{a.Source.Name}:{a.DisplayName}")));
        Assert.Equal(ServerTracing.SignalRSourceName, sources[^1]);
        Assert.Contains(chain, a => a.Source.Name == ActivitySources.ApplicationGrainActivitySourceName && a.Kind == ActivityKind.Server
            && a.DisplayName.Contains("ConnectMedia", StringComparison.Ordinal));
        Assert.Contains("Negotiate", chain[^1].DisplayName, StringComparison.Ordinal);
    }
}
