using Microsoft.AspNetCore.Routing;

namespace LiveClassroom.Server.Hosting;

/// <summary>
/// The web app routes on the client (/timetable, /console/{id}, /projector, /admin/…): a reload or a bookmarked
/// link to such a path must get index.html. Only GET/HEAD of paths without a file extension fall back, and never
/// under /api or /hubs, so a mistyped API path answers 404 JSON-less rather than a page, and a missing asset is not HTML.
/// </summary>
public static class SpaFallback
{
    public static WebApplication MapSpaFallback(this WebApplication app)
    {
        var index = app.Environment.WebRootFileProvider.GetFileInfo("index.html");
        app.MapFallback("{*path:nonfile}", async context =>
            {
                var path = context.Request.Path;
                if (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                    || path.StartsWithSegments("/hubs", StringComparison.OrdinalIgnoreCase)
                    || !index.Exists)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }
                context.Response.ContentType = "text/html; charset=utf-8";
                // index.html names the hashed assets of the current build: never serve a stale one from cache.
                context.Response.Headers.CacheControl = "no-cache";
                await context.Response.SendFileAsync(index, context.RequestAborted);
            })
            .WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]))
            .AllowAnonymous(); // the page itself is public; every data call it makes carries a token
        return app;
    }
}
