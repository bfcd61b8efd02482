using LiveClassroom.Server.Hosting;
using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;
using Microsoft.Extensions.Options;

namespace LiveClassroom.Server.Apis;

/// <summary>Classroom devices: pairing a projector PC, listing and revoking devices (docs/API.md, "Classroom devices").</summary>
public static partial class DevicesApi
{
    public static IEndpointRouteBuilder MapDevicesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/devices/pairing-requests", CreatePairingRequestAsync).Doc<PairingRequestCreated>("CreateDevicePairingRequest", "A projector PC asks for a pairing code", 201, 429).AllowAnonymous();
        app.MapGet("/api/devices/pairing-requests/{requestId:guid}", PollAsync).Doc<PairingStatus>("PollDevicePairingRequest", "The PC polls its pairing request; once confirmed it receives its device token", 200, 400, 404).AllowAnonymous();
        app.MapPost("/api/devices/pair", PairAsync).Doc<DeviceView>("PairDevice", "A school admin confirms a pairing code for a classroom", 200, 400, 403, 404).Body<PairRequest>();
        app.MapGet("/api/devices", ListAsync).Doc<DeviceList>("ListDevices", "Devices of the schools the caller administers", 200, 403);
        app.MapGet("/api/devices/me", MeAsync).Doc<DeviceSelfView>("GetDeviceMe", "The calling device itself", 200, 403, 404);
        app.MapPost("/api/devices/{id:guid}/revoke", RevokeAsync).Doc<DeviceView>("RevokeDevice", "Revokes a device and its token", 200, 403, 404);
        return app;
    }

    /// <summary>Upper-case, without the spaces and dashes people type between groups.</summary>
    public static string NormaliseCode(string code)
    {
        var sb = new StringBuilder(code.Length);
        foreach (var c in code)
        {
            if (c is not (' ' or '-'))
            {
                sb.Append(char.ToUpperInvariant(c));
            }
        }
        return sb.ToString();
    }

    private static byte[] HashPollToken(string pollToken) => SHA256.HashData(Encoding.UTF8.GetBytes(pollToken));

    private static async Task<IResult> CreatePairingRequestAsync(
        HttpContext context, DeviceStore devices, IOptions<AccountOptions> options, ServerClock time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var pollToken = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var expiresAt = now.AddMinutes(options.Value.PairingCodeMinutes);
        var (id, code, wait) = await devices.CreatePairingRequestAsync(
            ClientAddress.Of(context), options.Value.PairingRequestsPerIp, HashPollToken(pollToken), now, expiresAt, ct);
        if (wait is { } retryAfter)
        {
            return ApiErrors.TooManyAttempts(context, retryAfter);
        }
        return Results.Json(new PairingRequestCreated(id, code, pollToken, expiresAt), statusCode: 201);
    }

    private static async Task<IResult> PollAsync(
        Guid requestId, string? pollToken, DeviceStore devices, AccountTokens tokens, ServerClock time, ILoggerFactory loggers, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(pollToken))
        {
            return ApiErrors.Validation("pollToken", "required");
        }
        if (pollToken.Length > 200)
        {
            return ApiErrors.NotFound();
        }
        var poll = await devices.PollAsync(requestId, HashPollToken(pollToken), time.GetUtcNow(), ct);
        if (poll is null)
        {
            return ApiErrors.NotFound();
        }
        if (poll.Status == "confirmed" && poll.Device is { } device && poll.TokenId is { } tokenId)
        {
            var token = tokens.IssueForDevice(device.Id, device.Name, device.ClassroomId, device.SchoolId, tokenId);
            LogDeviceCollected(loggers.CreateLogger(typeof(DevicesApi).FullName!), device.Id, device.ClassroomId);
            return Results.Ok(new PairingStatus("confirmed") { DeviceToken = token, Device = device });
        }
        return Results.Ok(poll.Status == "pending" ? new PairingStatus("pending") { ExpiresAt = poll.ExpiresAt } : new PairingStatus(poll.Status));
    }

    private static async Task<IResult> PairAsync(
        HttpContext context, ClaimsPrincipal user, AccessPolicy access, OrganisationStore organisations, DeviceStore devices,
        AuthStateRefresher refresher, ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<PairRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        var code = body.Code is null ? "" : NormaliseCode(body.Code);
        if (code.Length == 0)
        {
            fields["code"] = "required";
        }
        else if (code.Length != DeviceStore.CodeLength || code.Any(c => !DeviceStore.CodeAlphabet.Contains(c, StringComparison.Ordinal)))
        {
            fields["code"] = "invalid_format";
        }
        if (body.ClassroomId is null)
        {
            fields["classroomId"] = "required";
        }
        var name = body.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            fields["name"] = "required";
        }
        else if (name.Length > 100)
        {
            fields["name"] = "too_long";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var classroom = await organisations.GetClassroomAsync(body.ClassroomId!.Value, ct);
        if (classroom is null)
        {
            return ApiErrors.NotFound();
        }
        await OrganisationsApi.EnsureCachedAsync(access, refresher, classroom.SchoolId, ct);
        if (!access.AdministersOrganisation(user, classroom.SchoolId))
        {
            return ApiErrors.Forbidden();
        }
        var result = await devices.ConfirmAsync(code, classroom, name, actor, time.GetUtcNow(), ct);
        return result.Device is { } device ? Results.Ok(device) : ApiErrors.PairingCodeInvalid();
    }

    private static async Task<IResult> ListAsync(
        Guid? schoolId, ClaimsPrincipal user, AccessPolicy access, DeviceStore devices, AuthStateRefresher refresher, CancellationToken ct)
    {
        IReadOnlyList<Guid> roots;
        if (schoolId is { } school)
        {
            await OrganisationsApi.EnsureCachedAsync(access, refresher, school, ct);
            if (!access.AdministersOrganisation(user, school))
            {
                return ApiErrors.Forbidden();
            }
            roots = [school];
        }
        else
        {
            roots = access.AdminRoots(user);
            if (roots.Count == 0)
            {
                return ApiErrors.Forbidden();
            }
        }
        // schoolId may also name a county (or higher): every school below it.
        var tree = access.Tree;
        IReadOnlyList<Guid> schools = [.. roots.SelectMany(tree.SubtreeOf).Distinct().Where(id => tree.Find(id)?.Kind == OrganisationKinds.School)];
        return Results.Ok(new DeviceList(await devices.ListAsync(schools, ct)));
    }

    private static async Task<IResult> MeAsync(ClaimsPrincipal user, AccessPolicy access, DeviceStore devices, CancellationToken ct)
    {
        if (access.DeviceId(user) is not { } deviceId)
        {
            return ApiErrors.Forbidden();
        }
        return await devices.GetSelfAsync(deviceId, ct) is { } self ? Results.Ok(self) : ApiErrors.NotFound();
    }

    private static async Task<IResult> RevokeAsync(
        Guid id, ClaimsPrincipal user, AccessPolicy access, DeviceStore devices, PrincipalRevocations revocations,
        AuthStateRefresher refresher, ServerClock time, ILoggerFactory loggers, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var device = await devices.GetAsync(id, ct);
        if (device is null)
        {
            return ApiErrors.NotFound();
        }
        await OrganisationsApi.EnsureCachedAsync(access, refresher, device.SchoolId, ct);
        if (!access.AdministersOrganisation(user, device.SchoolId))
        {
            return ApiErrors.Forbidden();
        }
        if (await devices.RevokeAsync(id, actor, time.GetUtcNow(), ct) is { } tokenId)
        {
            // Refused on this node from now on; the other nodes pick it up with their next refresh.
            revocations.RevokeDeviceToken(tokenId);
            LogDeviceRevoked(loggers.CreateLogger(typeof(DevicesApi).FullName!), id, actor);
        }
        return Results.Ok(await devices.GetAsync(id, ct));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} collected its token for classroom {ClassroomId}")]
    private static partial void LogDeviceCollected(ILogger logger, Guid deviceId, Guid classroomId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} revoked by {PersonId}")]
    private static partial void LogDeviceRevoked(ILogger logger, Guid deviceId, Guid personId);
}
