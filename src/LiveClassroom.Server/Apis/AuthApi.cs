using LiveClassroom.Server.Hosting;
using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;

namespace LiveClassroom.Server.Apis;

/// <summary>Login, the caller's own identity and password (docs/API.md, "Auth").</summary>
public static partial class AuthApi
{
    // Unknown usernames are checked against this so they take as long as known ones.
    private static readonly Lazy<string> DummyHash = new(() => PasswordHasher.Hash(PasswordHasher.GeneratePassword(24)));

    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 200;

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/auth/login", LoginAsync).Doc<LoginResponse>("Login", "Signs in with username and password and answers a bearer token", 200, 400, 401, 403, 429).Body<LoginRequest>().AllowAnonymous();
        app.MapGet("/api/me", MeAsync).Doc<PersonView>("GetMe", "The signed-in person (for a device token: { device })", 200, 403);
        app.MapPost("/api/me/password", ChangePasswordAsync).Doc("ChangeMyPassword", "Changes the caller's own password", 204, 400, 403, 404).Body<ChangePasswordRequest>();
        app.MapPost("/api/auth/logout", LogoutAsync).Doc("Logout", "Ends every session of the caller (all their tokens)", 204, 403);
        return app;
    }

    /// <summary>Lower-case, trimmed; what people.username holds.</summary>
    public static string NormaliseUsername(string username) => username.Trim().ToLowerInvariant();

    private static async Task<IResult> LoginAsync(
        HttpContext context, PeopleStore people, LoginThrottle throttle, AccountTokens tokens, ILoggerFactory loggers, Operations.ServerMetrics metrics,
        CancellationToken ct)
    {
        var (body, error) = await RequestBody.ReadAsync<LoginRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(body.Username))
        {
            fields["username"] = "required";
        }
        if (string.IsNullOrEmpty(body.Password))
        {
            fields["password"] = "required";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var username = NormaliseUsername(body.Username!);
        if (username.Length > 64)
        {
            username = username[..64];
        }
        var ip = ClientAddress.Of(context);
        var logger = loggers.CreateLogger(typeof(AuthApi).FullName!);
        // Reserved before the password is verified, so parallel guesses cannot overrun the limits.
        var reservation = await throttle.ReserveAsync(username, ip, ct);
        if (reservation.AttemptId is not { } attemptId)
        {
            LogThrottled(logger, ip);
            metrics.LoginThrottled();
            return ApiErrors.TooManyAttempts(context, reservation.RetryAfter ?? TimeSpan.FromSeconds(1));
        }
        var credentials = await people.FindCredentialsAsync(username, ct);
        var passwordOk = PasswordHasher.Verify(body.Password!, credentials?.PasswordHash ?? DummyHash.Value) && credentials is not null;
        if (!passwordOk || !credentials!.IsActive)
        {
            // The reservation stays as the failed attempt. Never the typed username: people paste passwords into it by mistake.
            LogLoginFailed(logger, ip, credentials?.Id);
            metrics.LoginFailed();
            return passwordOk ? ApiErrors.AccountInactive() : ApiErrors.InvalidCredentials();
        }
        await throttle.SucceededAsync(attemptId, ct);
        var person = await people.GetAsync(credentials.Id, ct);
        if (person is null)
        {
            return ApiErrors.InvalidCredentials();
        }
        var (token, expiresAt) = tokens.IssueForPerson(person, credentials.Restriction);
        LogLoggedIn(logger, person.Id, ip);
        metrics.LoggedIn();
        return Results.Ok(new LoginResponse(token, expiresAt, person, credentials.AccountStatus, credentials.MustChangePassword));
    }

    private static async Task<IResult> MeAsync(ClaimsPrincipal user, AccessPolicy access, PeopleStore people, DeviceStore devices, CancellationToken ct)
    {
        if (access.PersonId(user) is { } personId)
        {
            return await people.GetAsync(personId, ct) is { } person ? Results.Ok(person) : Results.Json(ApiErrors.UnauthorizedBody, statusCode: 401);
        }
        if (access.DeviceId(user) is { } deviceId)
        {
            return await devices.GetSelfAsync(deviceId, ct) is { } device
                ? Results.Ok(new DeviceMeResponse(device))
                : Results.Json(ApiErrors.UnauthorizedBody, statusCode: 401);
        }
        return ApiErrors.Forbidden();
    }

    private static async Task<IResult> ChangePasswordAsync(
        HttpContext context, ClaimsPrincipal user, AccessPolicy access, PeopleStore people, ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } personId)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<ChangePasswordRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var credentials = await people.FindCredentialsAsync(personId, ct);
        if (credentials is null)
        {
            return ApiErrors.NotFound();
        }
        var fields = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(body.CurrentPassword) || !PasswordHasher.Verify(body.CurrentPassword, credentials.PasswordHash))
        {
            fields["currentPassword"] = string.IsNullOrEmpty(body.CurrentPassword) ? "required" : "invalid";
        }
        if (PasswordProblem(body.NewPassword) is { } problem)
        {
            fields["newPassword"] = problem;
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        await using var conn = await people.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await PeopleStore.UpdateAsync(conn, tx, personId, null, null, PasswordHasher.Hash(body.NewPassword!), ct);
        if (credentials.MustChangePassword)
        {
            // The one-time password is gone; the restricted token stays restricted, so the person signs in again.
            await PeopleStore.ClearMustChangePasswordAsync(conn, tx, personId, ct);
        }
        await AuditLog.WriteAsync(conn, tx, time.GetUtcNow(), personId, "person.password", "person", personId, access.OrganisationId(user),
            new { self = true }, ct);
        await tx.CommitAsync(ct);
        return Results.NoContent();
    }

    /// <summary>
    /// Tokens are not stored, so logging out ends every session of the person (classroom PCs are shared; a token
    /// left behind on one must die with the logout).
    /// </summary>
    private static async Task<IResult> LogoutAsync(
        ClaimsPrincipal user, AccessPolicy access, PeopleStore people, AuthStateRefresher refresher, ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } personId)
        {
            return ApiErrors.Forbidden();
        }
        await using (var conn = await people.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            await PeopleStore.EndSessionsAsync(conn, tx, personId, time.GetUtcNow(), ct);
            await tx.CommitAsync(ct);
        }
        await refresher.RefreshAsync(force: false, ct);
        return Results.NoContent();
    }

    /// <summary>A validation code for an unacceptable password, or null.</summary>
    public static string? PasswordProblem(string? password) => password switch
    {
        null or "" => "required",
        { Length: < MinPasswordLength } => "too_short",
        { Length: > MaxPasswordLength } => "too_long",
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Login refused from {ClientIp}; person {PersonId} (empty for an unknown username)")]
    private static partial void LogLoginFailed(ILogger logger, string clientIp, Guid? personId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Login throttled from {ClientIp}")]
    private static partial void LogThrottled(ILogger logger, string clientIp);

    [LoggerMessage(Level = LogLevel.Information, Message = "Person {PersonId} logged in from {ClientIp}")]
    private static partial void LogLoggedIn(ILogger logger, Guid personId, string clientIp);
}
