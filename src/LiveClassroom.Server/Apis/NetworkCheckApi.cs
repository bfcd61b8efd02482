using System.Security.Claims;
using LiveClassroom.Server.Access;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hosting;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// The pre-class network check (docs/RURAL-LINKS.md): a projector (or a teacher's browser) times a download, an upload
/// and a few round trips to this server. Callers: a paired classroom device, or a person holding a role; nobody else.
/// Sizes are capped, so the check can never be turned into a heavy load on the server.
/// </summary>
public static class NetworkCheckApi
{
    public const int MaxDownloadBytes = 1024 * 1024;
    public const int MaxUploadBytes = 512 * 1024;

    // Incompressible, so a proxy's compression cannot flatter the figure; made once.
    private static readonly byte[] Filler = System.Security.Cryptography.RandomNumberGenerator.GetBytes(MaxDownloadBytes);

    public static IEndpointRouteBuilder MapNetworkCheckApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/network-check");
        g.MapGet("/ping", (ClaimsPrincipal user, HttpContext http) =>
        {
            if (Refuse(user) is { } refused)
            {
                return refused;
            }
            NoStore(http);
            return Results.NoContent();
        }).Doc("NetworkCheckPing", "Round-trip probe of the pre-class network check", 204, 403);
        g.MapGet("/download", (ClaimsPrincipal user, HttpContext http, int? bytes) =>
        {
            if (Refuse(user) is { } refused)
            {
                return refused;
            }
            if (bytes is not { } n || n is < 1 or > MaxDownloadBytes)
            {
                return LibraryApiErrors.Invalid($"bytes must be 1–{MaxDownloadBytes}.", $"bytes 必须在 1 到 {MaxDownloadBytes} 之间。");
            }
            NoStore(http);
            return Results.Bytes(Filler.AsMemory(0, n), "application/octet-stream");
        }).Doc("NetworkCheckDownload", "Bytes for the download-speed probe (application/octet-stream)", 200, 400, 403);
        g.MapPost("/upload", async (ClaimsPrincipal user, HttpContext http) =>
        {
            if (Refuse(user) is { } refused)
            {
                return refused;
            }
            // Read and dropped; the body limit below ends anything larger with 413.
            var buffer = new byte[16 * 1024];
            long total = 0;
            int read;
            while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            {
                total += read;
            }
            NoStore(http);
            return Results.Ok(new { bytes = total });
        }).Doc("NetworkCheckUpload", "Reads and counts the upload-speed probe's body", 200, 403).WithBodyLimit(MaxUploadBytes);
        return app;
    }

    /// <summary>Null when the caller may run the check: a paired classroom device, or a person with a role.</summary>
    private static IResult? Refuse(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true)
        {
            return LibraryApiErrors.Unauthenticated();
        }
        var device = user.FindFirstValue(LcClaims.Kind) == LcClaims.KindDevice && Guid.TryParse(user.FindFirstValue(LcClaims.Classroom), out _);
        var person = Caller.From(user) is { Roles.Count: > 0 };
        return device || person
            ? null
            : LibraryApiErrors.Forbidden("Only a classroom device or a member of staff can run the network check.", "只有教室设备或教职人员可以进行网络检测。");
    }

    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";
}
