using System.Net;
using System.Net.Http.Headers;
using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Tests.Hubs;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace LiveClassroom.Server.Tests.Apis;

/// <summary>
/// Cluster__Nodes: GET /api/client-config hands pages the nodes to move their hub connection to; CORS and the CSP's
/// connect-src let a page of one node reach exactly the listed others.
/// </summary>
public sealed class ClientConfigApiTests : IClassFixture<HubServerFactory>, IDisposable
{
    private const string NodeA = "https://node-a.school.test:5443";
    private const string NodeB = "https://node-b.school.test:5443";

    private readonly HubServerFactory _single;
    private readonly WebApplicationFactory<Program> _cluster;

    public ClientConfigApiTests(HubServerFactory factory)
    {
        _single = factory;
        // As an operator writes it: a trailing slash, capitals, a duplicate, a default port spelled out.
        _cluster = factory.WithOwnCluster(b => b.UseSetting("Cluster:Nodes", $"{NodeA}/, HTTPS://NODE-B.school.test:5443, {NodeA}, http://node-c.school.test:80"));
    }

    public void Dispose() => _cluster.Dispose();

    private static async Task<HttpResponseMessage> SendAsync(WebApplicationFactory<Program> server, HttpRequestMessage request, string? token)
    {
        using var client = server.CreateClient();
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await client.SendAsync(request);
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, new Uri(path, UriKind.Relative));

    [Fact]
    public async Task ClientConfig_Anonymous_Is401()
    {
        using var response = await SendAsync(_cluster, Get("/api/client-config"), null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ClientConfig_SingleNode_EmptyNodeList()
    {
        using var response = await SendAsync(_single, Get("/api/client-config"), _single.TokenFor("teacher"));

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Empty(json.GetProperty("nodes").EnumerateArray());
    }

    [Fact]
    public async Task ClientConfig_NodesConfigured_OriginsInOrderNormalisedWithoutDuplicates()
    {
        using var response = await SendAsync(_cluster, Get("/api/client-config"), _single.TokenFor("teacher"));

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal([NodeA, NodeB, "http://node-c.school.test"], json.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()!).ToArray());
    }

    [Fact]
    public async Task ClientConfig_ClassroomDevice_GetsTheListToo()
    {
        var device = _single.Org.DeviceToken(_single.Tokens, DemoOrg.RuralSchools[0]);

        using var response = await SendAsync(_cluster, Get("/api/client-config"), device);

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(3, json.GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task ContentSecurityPolicy_NodesConfigured_ConnectSrcAllowsEachNodeAndItsWebSocket()
    {
        using var response = await SendAsync(_cluster, Get("/login"), null);

        var csp = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        var connectSrc = csp.Split(';').Single(d => d.Trim().StartsWith("connect-src", StringComparison.Ordinal)).Trim().Split(' ');
        Assert.Contains(NodeB, connectSrc);
        Assert.Contains("wss://node-b.school.test:5443", connectSrc);
        Assert.Contains("ws://node-c.school.test", connectSrc);
        Assert.DoesNotContain("*", connectSrc);
    }

    [Fact]
    public async Task Cors_PreflightFromListedNode_AllowsHubNegotiateWithoutCredentials()
    {
        using var request = Preflight("/hubs/classroom/negotiate?negotiateVersion=1", NodeB);

        using var response = await SendAsync(_cluster, request, null);

        Assert.True(response.IsSuccessStatusCode, $"preflight answered {(int)response.StatusCode}");
        Assert.Equal(NodeB, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        var allowed = string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", allowed);
        Assert.Contains("x-signalr-user-agent", allowed);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Cors_PreflightFromUnlistedOrigin_NotAllowed()
    {
        using var fromElsewhere = await SendAsync(_cluster, Preflight("/hubs/classroom/negotiate?negotiateVersion=1", "https://evil.example"), null);
        using var singleNode = await SendAsync(_single, Preflight("/hubs/classroom/negotiate?negotiateVersion=1", NodeB), null);

        Assert.False(fromElsewhere.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(singleNode.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("node-b.school.test:5443")]
    [InlineData("ftp://node-b.school.test")]
    [InlineData("https://node-b.school.test:5443/app")]
    [InlineData("https://user:pw@node-b.school.test")]
    public void ClusterNodes_NotAnHttpOrigin_StartupErrorNamesTheValue(string value)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cluster:Nodes"] = $"{NodeA},{value}" }).Build();

        var error = Assert.Throws<StartupException>(() => ClusterNodes.From(config));

        Assert.Contains("Cluster__Nodes", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Preflight(string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(path, UriKind.Relative));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,x-requested-with,x-signalr-user-agent");
        return request;
    }
}
