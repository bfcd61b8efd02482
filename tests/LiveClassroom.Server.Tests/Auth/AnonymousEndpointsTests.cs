using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Auth;

/// <summary>Only the endpoints the product means to be public may opt out of authentication.</summary>
public sealed class AnonymousEndpointsTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private static readonly HashSet<string> Allowed =
    [
        "/healthz",
        "/healthz/live",
        "/healthz/ready",
        "/api/auth/login",
        "/api/devices/pairing-requests",
        "/api/devices/pairing-requests/{requestId:guid}",
        // A research session's recording for <video src>: the signed, person-bound, 6-hour ticket in the path is the
        // grant (Research/MediaTickets.cs); anything else gets a bare 404.
        "/api/research/media/{ticket}/video.mp4",
        "/api/research/media/{ticket}/poster.jpg",
        // Real-name registration (docs/API-PLATFORM.md): the tree to pick a school from (names only), and the application
        // itself, which creates a pending account that can reach nothing until the level above approves it.
        "/api/registrations/organisations",
        "/api/registrations",
        // The web app's index.html for client-side routes (Hosting/SpaFallback.cs: never /api, /hubs or an asset;
        // not "nonfile", as class ids in /console/{classId} contain a dot); its data calls carry tokens.
        "{*path}",
        // The API reference page's own script and icon (Scalar's public library code, no data); the page and the
        // document it shows need an admin (Operations/ApiReference.cs).
        "/api-docs/scalar.js",
        "/api-docs/scalar.aspnetcore.js",
        "/api-docs/favicon.svg",
    ];

    [Fact]
    public void Endpoints_AllowingAnonymousCallers_AreExactlyTheAllowedOnes()
    {
        factory.EnsureStarted();
        var anonymous = factory.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText ?? "")
            .Distinct()
            .ToList();

        var unexpected = anonymous.Where(pattern => !Allowed.Contains(pattern)).ToList();
        Assert.True(unexpected.Count == 0, "anonymous endpoints not on the list: " + string.Join(", ", unexpected));
        Assert.Contains("/api/auth/login", anonymous);
    }
}
