using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;

namespace LiveClassroom.Server.Hosting;

/// <summary>
/// The web app routes on the client (/timetable, /console/{classId}, /projector, /admin/…): a reload or a bookmarked
/// link to such a path must get index.html. Only GET/HEAD of paths outside /api, /hubs and /metrics that do not name a static
/// asset fall back; class ids contain a dot, so "has an extension" alone cannot tell a page from a file.
/// Everything else keeps its normal answer (401, 404, 405) from the endpoints and middleware that own it.
/// </summary>
public static partial class SpaFallback
{
    public static WebApplication MapSpaFallback(this WebApplication app)
    {
        var index = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
        var pattern = RoutePatternFactory.Parse("{*path}", defaults: null, parameterPolicies: new { path = new ClientRouteConstraint() });
        app.Map(pattern, async context =>
            {
                if (!index.Exists)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                context.Response.ContentType = "text/html; charset=utf-8";
                // index.html names the hashed assets of the current build: never serve a stale one from a cache.
                context.Response.Headers.CacheControl = "no-cache";
                await context.Response.SendFileAsync(index, context.RequestAborted);
            })
            .WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]))
            .WithDisplayName("SPA fallback")
            .ExcludeFromDescription() // a page, not part of the API
            .AllowAnonymous() // the page itself is public; every data call it makes carries a token
            .Add(b => ((RouteEndpointBuilder)b).Order = int.MaxValue); // after every real endpoint, like MapFallback
        return app;
    }

    [GeneratedRegex(@"^(api|hubs|metrics)(/|$)|\.(js|mjs|css|map|png|jpe?g|gif|svg|ico|webp|json|txt|woff2?|webmanifest)$", RegexOptions.IgnoreCase)]
    private static partial Regex NotAClientRoute();

    private sealed class ClientRouteConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            !values.TryGetValue(routeKey, out var value) || value is not string path || !NotAClientRoute().IsMatch(path);
    }
}
