using LiveClassroom.Server.Access;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Playback files of a resource, each request checked against the resource's visibility: the VOD playlist and
/// its segments (hls.js sends the Bearer token through xhrSetup), chapter tracks, poster and MP4 (range requests).
/// Answers are never reused from a cache without asking (<c>no-cache</c>), so a takedown stops playback at once.
/// </summary>
public static class LibraryMediaApi
{
    public static IEndpointRouteBuilder MapLibraryMediaApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/library/resources/{id:guid}");

        g.MapGet("/hls/{**file}", async (Guid id, string file, HttpContext http, LibraryStore store, LibraryAccess access, RecordingService recordings) =>
        {
            if (!RecordingPaths.ServableHlsFile().IsMatch(file))
            {
                return LibraryApiErrors.NotFound("The file", "该文件");
            }
            return await ServeAsync(id, file, ContentType(file), http, store, access, recordings);
        }).Doc("GetResourceHls", "HLS playlist or segment of a resource", 200, 404);

        g.MapGet("/poster.jpg", (Guid id, HttpContext http, LibraryStore store, LibraryAccess access, RecordingService recordings) =>
            ServeAsync(id, RecordingPaths.Poster, "image/jpeg", http, store, access, recordings)).Doc("GetResourcePoster", "Poster image of a resource (image/jpeg)", 200, 404);

        g.MapGet("/video.mp4", (Guid id, HttpContext http, LibraryStore store, LibraryAccess access, RecordingService recordings) =>
            ServeAsync(id, RecordingPaths.Mp4, "video/mp4", http, store, access, recordings)).Doc("GetResourceVideo", "MP4 of a resource (byte ranges allowed)", 200, 404);
        return app;
    }

    private static async Task<IResult> ServeAsync(Guid id, string file, string contentType, HttpContext http, LibraryStore store,
        LibraryAccess access, RecordingService recordings)
    {
        if (Caller.From(http.User) is not { } caller)
        {
            return LibraryApiErrors.Unauthenticated();
        }
        var r = await store.GetAsync(id);
        if (r is null || !access.CanSee(http.User, caller, r))
        {
            return LibraryApiErrors.NotFound("The resource", "该资源");
        }
        var result = RecordingFiles.Serve(recordings.Root, r.RecordingId, file, contentType, http, () => LibraryApiErrors.NotFound("The file", "该文件"));
        // Visibility is decided per request: after a takedown (or a lost right) the browser must ask again, not replay its cache.
        http.Response.Headers.CacheControl = "private, no-cache";
        return result;
    }

    private static string ContentType(string file) => Path.GetExtension(file) switch
    {
        ".m3u8" => "application/vnd.apple.mpegurl",
        ".ts" => "video/mp2t",
        ".vtt" => "text/vtt; charset=utf-8",
        _ => "application/octet-stream",
    };
}
