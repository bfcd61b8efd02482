using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LiveClassroom.Server.Auth;

/// <summary>
/// Bearer tokens from <c>Authorization: Bearer …</c>, or from the <c>access_token</c> query parameter on
/// <c>/hubs/*</c> (browsers cannot set headers on WebSocket upgrades).
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "LiveClassroomToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
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
        if (string.IsNullOrEmpty(token))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }
        var principal = tokens.Validate(token, SchemeName);
        return Task.FromResult(principal is null
            ? AuthenticateResult.Fail("invalid or expired token")
            : AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
