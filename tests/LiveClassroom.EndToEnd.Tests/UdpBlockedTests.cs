using System.Text.Json;
using LiveClassroom.EndToEnd.Tests.Harness;
using LiveClassroom.Testing.Network;
using Microsoft.Playwright;

namespace LiveClassroom.EndToEnd.Tests;

/// <summary>
/// A rural classroom behind a firewall that blocks UDP (issue #15): the projector runs in a network namespace whose
/// only link is a veth pair to this machine, with nftables dropping what the school's firewall would. The teacher's
/// browser runs outside on a clean path. The projector must still decode the teacher's video — over ICE-TCP (RFC 6544)
/// on the media port, or, with that port blocked too, relayed by a real coturn over TURN/TCP.
/// </summary>
[Collection(LinkEmulationCollection.Name)]
public sealed class UdpBlockedTests(LinkEmulationFixture fx)
{
    private sealed record SelectedPair(string State, string LocalType, string LocalProtocol, string RelayProtocol, string RemoteType, string RemoteProtocol, string RemoteAddress);

    [Fact]
    public async Task Projector_AllUdpDropped_DecodesTeacherVideoOverIceTcp()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        await link.DropAllUdpAsync();
        await using var server = await ServerProcess.StartAsync(linkAddress: link.HostAddress);

        var pair = await ProjectorWatchesTeacherAsync(server, link, diagnostics: () => "");

        Assert.Equal("tcp", pair.RemoteProtocol);
        Assert.Equal("tcp", pair.LocalProtocol);
        Assert.Equal("host", pair.RemoteType);
        Assert.Equal(link.HostAddress.ToString(), pair.RemoteAddress);
    }

    [Fact]
    public async Task Projector_UdpAndMediaTcpPortDropped_DecodesTeacherVideoOverTurnTcp()
    {
        await using var link = await NetworkNamespace.CreateAsync();
        await using var turn = await TurnServerProcess.StartAsync(link.HostAddress);
        await using var server = await ServerProcess.StartAsync(
            environment: new Dictionary<string, string> { ["Turn__Urls"] = turn.Urls, ["Turn__Secret"] = turn.Secret, ["Turn__TtlSeconds"] = "600" },
            linkAddress: link.HostAddress);
        await link.DropAllUdpAsync();
        await link.DropTcpPortAsync(server.MediaPort!.Value);

        var pair = await ProjectorWatchesTeacherAsync(server, link, diagnostics: () => "coturn:\n" + turn.Log);

        Assert.Equal("relay", pair.LocalType);
        Assert.Equal("tcp", pair.RelayProtocol);
        Assert.Equal("udp", pair.RemoteProtocol);
    }

    /// <summary>Teacher opens a class outside; the projector inside the namespace joins and decodes the teacher's camera.</summary>
    private async Task<SelectedPair> ProjectorWatchesTeacherAsync(ServerProcess server, NetworkNamespace link, Func<string> diagnostics)
    {
        using var api = new DemoApi(server.BaseUrl);
        var scenario = await api.CreateScenarioAsync(fx.NextTag(), ruralCount: 1);
        var deviceToken = await api.PairDeviceAsync(scenario.RuralClassrooms[0].Id, "投影电脑");
        await using var teacher = await BrowserSession.LaunchAsync(fx.Playwright, server.BaseUrl);
        var viaLink = new Uri($"http://{link.HostAddress}:{server.BaseUrl.Port}");
        await using var projector = await BrowserSession.LaunchAsync(fx.Playwright, viaLink, executablePath: link.ExecWrapper(BrowserSession.ChromiumPath));
        await ClassPages.StartProjectorAsync(projector, deviceToken);
        await ClassPages.OpenClassAsTeacherAsync(teacher, scenario);

        // Polled from here: WaitForFunction takes an async predicate's promise itself as truthy and would not wait.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        var frames = 0;
        while ((frames = await projector.Page.EvaluateAsync<int>("async () => (await window.lcLive?.media?.framesDecoded('main')) ?? 0")) <= 30)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the projector decoded {frames} frames of the teacher's video in 90 s; its pair: {await SelectedPairJsonAsync(projector.Page)}\n{diagnostics()}");
            }
            await Task.Delay(500);
        }
        var json = await SelectedPairJsonAsync(projector.Page);
        Assert.True(json.StartsWith('{'), "the projector's selected candidate pair: " + json);
        var pair = JsonSerializer.Deserialize<SelectedPair>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal("succeeded", pair.State);
        teacher.AssertNoConsoleErrors();
        projector.AssertNoConsoleErrors();
        return pair;
    }

    /// <summary>The projector's selected ICE candidate pair (getStats: transport → candidate-pair → local/remote candidate).</summary>
    private static Task<string> SelectedPairJsonAsync(IPage page) => page.EvaluateAsync<string>("""
        async () => {
          const pc = window.lcLive?.media?.pc;
          if (!pc) return 'no peer connection';
          const stats = await pc.getStats();
          let pair = null;
          const seen = [];
          stats.forEach(s => { if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId) ?? pair; });
          stats.forEach(s => {
            if (s.type !== 'candidate-pair') return;
            seen.push(`${s.state}${s.nominated ? ' nominated' : ''}`);
            if (!pair && s.nominated && s.state === 'succeeded') pair = s;
          });
          if (!pair) return `pc=${pc.connectionState}, no selected pair among [${seen.join(', ')}]`;
          const local = stats.get(pair.localCandidateId) ?? {};
          const remote = stats.get(pair.remoteCandidateId) ?? {};
          return JSON.stringify({
            state: pair.state, localType: local.candidateType ?? '', localProtocol: local.protocol ?? '', relayProtocol: local.relayProtocol ?? '',
            remoteType: remote.candidateType ?? '', remoteProtocol: remote.protocol ?? '', remoteAddress: remote.address ?? '',
          });
        }
        """);
}
