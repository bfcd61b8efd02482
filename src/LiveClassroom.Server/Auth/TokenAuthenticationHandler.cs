using System.Globalization;
using System.Text.Encodings.Web;
using LiveClassroom.Server.Apis;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Npgsql;

namespace LiveClassroom.Server.Auth;

/// <summary>
/// Bearer tokens from <c>Authorization: Bearer …</c>, or from the <c>access_token</c> query parameter on
/// <c>/hubs/*</c> (browsers cannot set headers on WebSocket upgrades). Revoked device tokens and tokens of
/// deactivated people are refused although their signature and expiry are fine.
/// </summary>
public sealed partial class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens,
    PrincipalRevocations revocations, DeviceActivity deviceActivity)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "LiveClassroomToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? token = null;
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            token = header["Bearer ".Length..].Trim();
        }
        else if (Request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal))
        {
            token = Request.Query["access_token"];
        }
        else if (Operations.ApiReference.IsDocsPath(Request.Path))
        {
            token = Request.Cookies[Operations.ApiReference.CookieName];
        }
        if (string.IsNullOrEmpty(token))
        {
            return AuthenticateResult.NoResult();
        }
        var principal = tokens.Validate(token, SchemeName);
        if (principal is null)
        {
            return AuthenticateResult.Fail("invalid or expired token");
        }
        var kind = principal.FindFirst(LcClaims.Kind)?.Value;
        if (kind == LcClaims.KindDevice)
        {
            if (!Guid.TryParse(principal.FindFirst(LcClaims.TokenId)?.Value, out var jti)
                || !Guid.TryParse(principal.FindFirst(LcClaims.Subject)?.Value, out var deviceId)
                || revocations.IsDeviceTokenRevoked(jti))
            {
                return AuthenticateResult.Fail("revoked device token");
            }
            try
            {
                await deviceActivity.TouchAsync(deviceId, Context.RequestAborted);
            }
            catch (NpgsqlException ex)
            {
                // Last-seen is informational: a database hiccup must not lock the classroom out.
                LogLastSeenFailed(Logger, ex);
            }
        }
        else if (kind == LcClaims.KindPerson)
        {
            if (!Guid.TryParse(principal.FindFirst(LcClaims.Subject)?.Value, out var personId) || revocations.IsPersonInactive(personId))
            {
                return AuthenticateResult.Fail("inactive person");
            }
            long? issuedAt = long.TryParse(principal.FindFirst(LcClaims.IssuedAt)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var iat) ? iat : null;
            if (revocations.IsPersonTokenStale(personId, issuedAt))
            {
                return AuthenticateResult.Fail("token predates a change of roles or password");
            }
        }
        else
        {
            return AuthenticateResult.Fail("unknown principal kind");
        }
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(ApiErrors.UnauthorizedBody, Context.RequestAborted);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await Response.WriteAsJsonAsync(ApiErrors.ForbiddenBody, Context.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record a device's last-seen time")]
    private static partial void LogLastSeenFailed(ILogger logger, Exception ex);
}
