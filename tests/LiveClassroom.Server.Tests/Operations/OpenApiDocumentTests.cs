using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Operations;

/// <summary>
/// Every mapped endpoint is described (operation id, summary, response codes) and appears in /openapi/v1.json; the
/// document and its reference page are for admins only.
/// </summary>
public sealed partial class OpenApiDocumentTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    // Endpoints that are not part of the HTTP API and so stay out of the document (prefixes of route patterns).
    private static readonly string[] NotApi =
    [
        "{*path}", // the web app's index.html (Hosting/SpaFallback)
        "/openapi/", // the document itself
        "/api-docs", // its reference page and the page's assets
        "/hubs/", // SignalR hubs: docs/HUB.md
        "/metrics", // Prometheus scrape endpoint (Operations/Telemetry)
    ];

    private List<RouteEndpoint> Endpoints()
    {
        factory.EnsureStarted();
        return factory.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .ToList();
    }

    private List<RouteEndpoint> ApiEndpoints() =>
        Endpoints().Where(e => !NotApi.Any(p => (e.RoutePattern.RawText ?? "").StartsWith(p, StringComparison.Ordinal))).ToList();

    [Fact]
    public void Endpoints_OfTheApi_HaveNameSummaryAndSuccessCode()
    {
        var endpoints = ApiEndpoints();
        Assert.True(endpoints.Count > 50, $"only {endpoints.Count} endpoints seen: the enumeration itself is broken");
        var undescribed = endpoints
            .Where(e => e.Metadata.GetMetadata<IEndpointNameMetadata>() is null
                || string.IsNullOrWhiteSpace(e.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary)
                || !e.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>().Any(p => p.StatusCode is >= 200 and < 300))
            .Select(Describe)
            .ToList();
        Assert.True(undescribed.Count == 0, "map these with .Doc(name, summary, success, errors…) (Apis/EndpointDocs.cs): " + string.Join(", ", undescribed));
        var excluded = endpoints.Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription == true).Select(Describe).ToList();
        Assert.True(excluded.Count == 0, "excluded from the document: " + string.Join(", ", excluded));
    }

    [Fact]
    public void Endpoints_LeftOutOfTheDocument_AreOnlyPagesHubsAndTheDocumentItself()
    {
        var hubs = Endpoints().Where(e => (e.RoutePattern.RawText ?? "").StartsWith("/hubs/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(hubs);
        Assert.All(hubs, e => Assert.NotNull(e.Metadata.GetMetadata<HubMetadata>()));
    }

    [Fact]
    public async Task Document_AsAdmin_IsValidOpenApiJsonCoveringEveryMappedEndpoint()
    {
        using var client = await factory.ClientForAsync("admin");

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.StartsWith("3.", root.GetProperty("openapi").GetString());
        Assert.Equal("bearer", root.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer").GetProperty("scheme").GetString());
        Assert.True(root.GetProperty("components").GetProperty("schemas").TryGetProperty("ErrorBody", out _), "the error shape is in the document");
        var paths = root.GetProperty("paths");
        var missing = new List<string>();
        foreach (var endpoint in ApiEndpoints())
        {
            var path = OpenApiPath(endpoint.RoutePattern.RawText!);
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
            {
                if (!paths.TryGetProperty(path, out var item) || !item.TryGetProperty(method.ToLowerInvariant(), out var operation))
                {
                    missing.Add($"{method} {path}");
                    continue;
                }
                Assert.Equal(endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()!.EndpointName, operation.GetProperty("operationId").GetString());
                Assert.Equal(endpoint.Metadata.GetMetadata<IEndpointSummaryMetadata>()!.Summary, operation.GetProperty("summary").GetString());
                var responses = operation.GetProperty("responses");
                foreach (var produced in endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>())
                {
                    Assert.True(responses.TryGetProperty(produced.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out _),
                        $"{method} {path} lacks response {produced.StatusCode}");
                }
                var anonymous = endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null;
                Assert.Equal(!anonymous, operation.TryGetProperty("security", out _));
                Assert.True(anonymous || responses.TryGetProperty("401", out _), $"{method} {path} needs a token but lists no 401");
            }
        }
        Assert.True(missing.Count == 0, "mapped but not in the document: " + string.Join(", ", missing));

        // A body the handler reads itself is described all the same, with its schema.
        var login = paths.GetProperty("/api/auth/login").GetProperty("post");
        Assert.True(login.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.Equal("#/components/schemas/ErrorBody",
            login.GetProperty("responses").GetProperty("429").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task Document_AsTeacherOrAnonymous_IsRefused()
    {
        using var teacher = await factory.ClientForAsync("teacher");
        using var anonymous = factory.Anonymous();

        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api-docs")).StatusCode);
        using var session = new HttpRequestMessage(HttpMethod.Post, "/api/docs/session");
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.SendAsync(session)).StatusCode);
    }

    [Fact]
    public async Task ReferencePage_AdminBrowserWithDocsCookie_LoadsWithNonceButCookieOpensNoOtherApi()
    {
        var token = await factory.LoginAsync("admin");
        using var browser = factory.CreateClient(); // keeps cookies, like a browser
        using var start = new HttpRequestMessage(HttpMethod.Post, "/api/docs/session");
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var started = await browser.SendAsync(start);
        Assert.Equal(HttpStatusCode.NoContent, started.StatusCode);
        var setCookie = Assert.Single(started.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);

        using var page = await browser.GetAsync("/api-docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        var nonce = Nonce().Match(csp);
        Assert.True(nonce.Success, "the page's policy allows its script by nonce: " + csp);
        Assert.Contains($"nonce=\"{nonce.Groups[1].Value}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline'", csp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/openapi/v1.json")).StatusCode);

        // The cookie is read on the documentation paths only: no cross-site request can use it on the API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/me")).StatusCode);
    }

    private static string Describe(RouteEndpoint e) =>
        $"{string.Join("/", e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])} {e.RoutePattern.RawText}";

    /// <summary><c>/api/x/{id:guid}/{**file}/</c> → <c>/api/x/{id}/{file}</c>, as OpenAPI writes paths.</summary>
    private static string OpenApiPath(string pattern) =>
        RouteParameter().Replace(pattern.Length > 1 ? pattern.TrimEnd('/') : pattern, m => "{" + m.Groups[1].Value + "}");

    [GeneratedRegex(@"\{\**([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"'nonce-([^']+)'")]
    private static partial Regex Nonce();
}
