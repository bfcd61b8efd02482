using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Hosting;

/// <summary>
/// Enforces <see cref="LcClaims.Restriction"/> on the server, whatever the web client does: a token of a pending or
/// rejected applicant, or of a person who still has a one-time password, reaches only the few endpoints listed here;
/// every other API call and every hub answers 403 with a code saying why. Anonymous endpoints stay open.
/// </summary>
public static class RestrictedAccounts
{
    private static readonly (string Method, string Path)[] Allowed =
    [
        ("GET", "/api/me"),
        ("POST", "/api/me/password"),
        ("POST", "/api/auth/logout"),
        ("GET", "/api/registrations/mine"),
    ];

    public static ErrorBody PendingBody { get; } = new("account_pending",
        "This account is waiting for approval (or was not approved): only its registration status can be seen.",
        "此账号正在等待审核（或未通过审核），只能查看注册状态。");

    public static ErrorBody PasswordBody { get; } = new("password_change_required",
        "Please change your one-time password first.", "请先修改一次性密码。");

    /// <summary>Call after authentication, before authorization and the endpoints.</summary>
    public static IApplicationBuilder UseRestrictedAccounts(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var restriction = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirst(LcClaims.Restriction)?.Value : null;
        // Endpoints open to anonymous callers (login, registering) stay open to restricted tokens too.
        if (restriction is null || IsAllowed(context.Request)
            || context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Authorization.IAllowAnonymous>() is not null)
        {
            await next(context);
            return;
        }
        var path = context.Request.Path;
        if (!path.StartsWithSegments("/api", StringComparison.Ordinal) && !path.StartsWithSegments("/hubs", StringComparison.Ordinal))
        {
            // Static files and the single-page app's routes: the client shows the status or password page.
            await next(context);
            return;
        }
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsJsonAsync(
            restriction == LcClaims.RestrictionPassword ? PasswordBody : PendingBody, context.RequestAborted);
    });

    private static bool IsAllowed(HttpRequest request)
    {
        foreach (var (method, path) in Allowed)
        {
            if (string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase)
                && string.Equals(request.Path.Value?.TrimEnd('/'), path, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
