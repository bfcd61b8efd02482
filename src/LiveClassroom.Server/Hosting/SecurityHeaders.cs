using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Hosting;

/// <summary>
/// Browser-side hardening on every response (pages, assets, APIs). The web app keeps its tokens in localStorage, which
/// is only acceptable while no script but the app's own bundle can run: the Content-Security-Policy allows scripts from
/// this origin only (no inline script, no eval), and no site may frame the app.
/// </summary>
public static partial class SecurityHeaders
{
    // 'self' already covers ws/wss of this origin in CSP Level 3; the explicit sources keep older engines working.
    // blob: — the printable report opens as a blob: page (it inherits this policy, hence its style's hash) and
    // recordings may play from blob: media sources. Camera and microphone streams need no source at all.
    private static readonly string Before =
        "default-src 'self'; script-src 'self'; " +
        $"style-src 'self' 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(ReportHtmlRenderer.StyleText)))}'; " +
        "img-src 'self' data: blob:; media-src 'self' blob:; font-src 'self'; worker-src 'self' blob:; frame-src 'self' blob:; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; connect-src 'self'";

    /// <param name="cluster">The other nodes' origins are added to <c>connect-src</c>: a page's hub connection may move there.</param>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app, ClusterNodes? cluster = null) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy(context.Request.Host, cluster);
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Media tickets and ids travel in URLs: never hand them to another site.
        headers["Referrer-Policy"] = "no-referrer";
        return next(context);
    });

    public static string ContentSecurityPolicy(HostString host, ClusterNodes? cluster = null)
    {
        var policy = host.HasValue && HostSyntax().IsMatch(host.Value) ? $"{Before} ws://{host.Value} wss://{host.Value}" : Before;
        return cluster is { Origins.Count: > 0 } ? $"{policy} {cluster.ConnectSources()}" : policy;
    }

    [GeneratedRegex(@"^[A-Za-z0-9.\-]+(:[0-9]{1,5})?$|^\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?$")]
    private static partial Regex HostSyntax();
}
