using LiveClassroom.Server.Webhooks;
using LiveClassroom.Server.Hosting;
using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;
using Npgsql;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Real-name registration approved by the level above (docs/API-PLATFORM.md, "Registration"): a teacher is decided by
/// the admin of their school, a school by its county's admin, a county by its city's, a city by its province's. Only
/// an admin role held at exactly that organisation decides: each level has its own queue.
/// </summary>
public static partial class RegistrationsApi
{
    /// <summary>Registrations accepted from one client address per hour (a school's teachers share one address).</summary>
    public const int PerAddressPerHour = 30;

    public static IEndpointRouteBuilder MapRegistrationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/registrations/organisations", DirectoryAsync).Doc<PublicOrganisationList>("RegistrationDirectory", "The organisation tree an applicant picks from (names and kinds only)", 200, 400).AllowAnonymous();
        app.MapPost("/api/registrations", RegisterAsync).Doc<RegistrationView>("Register", "Files a real-name registration of a teacher, school, county or city, pending until the level above approves", 201, 400, 404, 409, 429).Body<RegistrationRequest>().AllowAnonymous();
        app.MapGet("/api/registrations/mine", MineAsync).Doc<RegistrationList>("MyRegistrations", "The caller's own registrations and their outcome", 200, 403);
        app.MapGet("/api/registrations", QueueAsync).Doc<RegistrationList>("RegistrationQueue", "What waits for the calling admin's level", 200, 400, 403);
        app.MapPost("/api/registrations/{id:guid}/approve", ApproveAsync).Doc<RegistrationView>("ApproveRegistration", "The admin of the level above approves a registration", 200, 403, 404, 409);
        app.MapPost("/api/registrations/{id:guid}/reject", RejectAsync).Doc<RegistrationView>("RejectRegistration", "The admin of the level above rejects a registration with a reason", 200, 400, 403, 404, 409).Body<RejectRegistrationRequest>();
        return app;
    }

    /// <summary>The kind of organisation a registration of <paramref name="kind"/> is filed under.</summary>
    public static string? ParentKind(string? kind) => kind switch
    {
        "teacher" => OrganisationKinds.School,
        "school" => OrganisationKinds.County,
        "county" => OrganisationKinds.City,
        "city" => OrganisationKinds.Province,
        _ => null,
    };

    /// <summary>The admin role that decides registrations filed under an organisation of <paramref name="parentKind"/>.</summary>
    public static string AdminRoleAt(string parentKind) => parentKind switch
    {
        OrganisationKinds.School => Roles.SchoolAdmin,
        OrganisationKinds.County => Roles.CountyAdmin,
        OrganisationKinds.City => Roles.CityAdmin,
        _ => Roles.ProvinceAdmin,
    };

    /// <summary>The admin role a successful applicant for a new organisation of <paramref name="kind"/> receives there.</summary>
    private static string AdminRoleFor(string kind) => AdminRoleAt(kind);

    /// <summary>The organisations whose queue the caller decides: where they hold that level's admin role.</summary>
    private static List<Guid> DecidingAt(AccessPolicy access, ClaimsPrincipal user)
    {
        var tree = access.Tree;
        return [.. access.RolesOf(user)
            .Where(g => tree.Find(g.OrganisationId) is { } node && AdminRoleAt(node.Kind) == g.Role)
            .Select(g => g.OrganisationId).Distinct()];
    }

    private static IResult DirectoryAsync(AccessPolicy access)
    {
        var items = access.Tree.Roots
            .SelectMany(r => access.Tree.SubtreeOf(r.Id))
            .Select(id => access.Tree.Find(id)!)
            .OrderBy(n => Depth(n.Kind)).ThenBy(n => n.Name, StringComparer.Ordinal)
            .Select(n => new PublicOrganisation(n.Id, n.ParentId, n.Kind, n.Name, n.IsRural))
            .ToList();
        return Results.Ok(new PublicOrganisationList(items));
    }

    private static int Depth(string kind) => kind switch
    {
        OrganisationKinds.Province => 0,
        OrganisationKinds.City => 1,
        OrganisationKinds.County => 2,
        _ => 3,
    };

    private static async Task<IResult> RegisterAsync(
        HttpContext context, AccessPolicy access, AuthStateRefresher refresher, RegistrationStore store, ServerClock time,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var (body, error) = await RequestBody.ReadAsync<RegistrationRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        if (body.ParentId is { } requested)
        {
            await OrganisationsApi.EnsureCachedAsync(access, refresher, requested, ct);
        }
        var fields = new Dictionary<string, string>();
        var parentKind = ParentKind(body.Kind);
        if (body.Kind is null)
        {
            fields["kind"] = "required";
        }
        else if (parentKind is null)
        {
            fields["kind"] = "invalid";
        }
        OrganisationNode? parent = null;
        if (body.ParentId is not { } parentId)
        {
            fields["parentId"] = "required";
        }
        else if ((parent = access.Tree.Find(parentId)) is null)
        {
            fields["parentId"] = "unknown_organisation";
        }
        else if (parentKind is not null && parent.Kind != parentKind)
        {
            fields["parentId"] = "wrong_kind";
        }
        var username = body.Username is null ? "" : AuthApi.NormaliseUsername(body.Username);
        if (username.Length == 0)
        {
            fields["username"] = "required";
        }
        else if (!TeacherFields.IsUsername(username))
        {
            fields["username"] = "invalid_format";
        }
        if (AuthApi.PasswordProblem(body.Password) is { } passwordProblem)
        {
            fields["password"] = passwordProblem;
        }
        if (OrganisationsApi.NameProblem(body.DisplayName, 100) is { } nameProblem)
        {
            fields["displayName"] = nameProblem;
        }
        var phone = TeacherFields.NormalisePhone(body.Phone);
        var staffNumber = TeacherFields.Blank(body.StaffNumber);
        if (TeacherFields.PhoneProblem(phone) is { } phoneProblem)
        {
            fields["phone"] = phoneProblem;
        }
        if (TeacherFields.StaffNumberProblem(staffNumber) is { } staffProblem)
        {
            fields["staffNumber"] = staffProblem;
        }
        string? subject = null, stage = null, role = null, orgName = null;
        if (body.Kind == "teacher")
        {
            if (phone is null && staffNumber is null)
            {
                fields["phone"] = "phone_or_staff_number_required";
            }
            subject = TeacherFields.Blank(body.Subject);
            if (TeacherFields.SubjectProblem(subject) is { } subjectProblem)
            {
                fields["subject"] = subjectProblem;
            }
            stage = TeacherFields.ParseStage(body.Stage);
            if (stage is null)
            {
                fields["stage"] = string.IsNullOrWhiteSpace(body.Stage) ? "required" : "invalid";
            }
            role = body.Role is null ? (parent?.IsRural == true ? Roles.AssistantTeacher : Roles.LeadTeacher) : TeacherFields.ParseRole(body.Role);
            if (role is null)
            {
                fields["role"] = "invalid";
            }
            if (body.OrganisationName is not null)
            {
                fields["organisationName"] = "invalid";
            }
        }
        else if (parentKind is not null)
        {
            // Whoever applies for an organisation becomes its admin: the level above must be able to call them.
            if (phone is null)
            {
                fields["phone"] = "required";
            }
            if (OrganisationsApi.NameProblem(body.OrganisationName, 200) is { } orgProblem)
            {
                fields["organisationName"] = orgProblem;
            }
            else
            {
                orgName = body.OrganisationName!.Trim();
            }
            if (body.IsRural == true && body.Kind != "school")
            {
                fields["isRural"] = "invalid";
            }
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var ip = ClientAddress.Of(context);
        var now = time.GetUtcNow();
        if (await store.CountFromAddressSinceAsync(ip, now.AddHours(-1), ct) >= PerAddressPerHour)
        {
            return ApiErrors.TooManyAttempts(context, TimeSpan.FromMinutes(10));
        }
        var personId = Guid.CreateVersion7();
        var registrationId = Guid.CreateVersion7();
        var hash = PasswordHasher.Hash(body.Password!);
        await using (var conn = await store.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            if (await PeopleStore.UsernameTakenAsync(conn, tx, username, ct))
            {
                return ApiErrors.Validation("username", "taken");
            }
            if (orgName is not null && await RegistrationStore.OrganisationNameTakenAsync(conn, tx, parent!.Id, orgName, ct))
            {
                return ApiErrors.Validation("organisationName", "taken");
            }
            try
            {
                // An applicant for a new organisation lives at the parent until the organisation exists.
                await PeopleStore.InsertProfileAsync(conn, tx, personId, parent!.Id, username, body.DisplayName!.Trim(), hash, now,
                    new PersonProfile("pending", false, phone, staffNumber, subject, stage), ct);
                await RegistrationStore.InsertAsync(conn, tx, registrationId, body.Kind!, personId, parent.Id, orgName,
                    body.IsRural == true, role, ip, now, ct);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Another registration took the username, the staff number or the new organisation's name meanwhile.
                return ApiErrors.Validation(ex.ConstraintName switch
                {
                    "people_username_idx" => "username",
                    "people_school_staff_number_idx" => "staffNumber",
                    _ => "organisationName",
                }, "taken");
            }
            await AuditLog.WriteAsync(conn, tx, now, personId, "registration.submit", "registration", registrationId, parent.Id,
                new { kind = body.Kind, username, displayName = body.DisplayName.Trim(), organisationName = orgName, role }, ct);
            await tx.CommitAsync(ct);
        }
        LogRegistered(loggers.CreateLogger(typeof(RegistrationsApi).FullName!), registrationId, body.Kind!, parent.Id);
        return Results.Json(await store.GetAsync(registrationId, ct), statusCode: 201);
    }

    private static async Task<IResult> MineAsync(ClaimsPrincipal user, AccessPolicy access, RegistrationStore store, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } personId)
        {
            return ApiErrors.Forbidden();
        }
        return Results.Ok(new RegistrationList(await store.ListForApplicantAsync(personId, ct)));
    }

    private static async Task<IResult> QueueAsync(string? status, ClaimsPrincipal user, AccessPolicy access, RegistrationStore store, CancellationToken ct)
    {
        status ??= "pending";
        if (status is not ("pending" or "approved" or "rejected"))
        {
            return ApiErrors.Validation("status", "invalid");
        }
        var at = DecidingAt(access, user);
        if (at.Count == 0)
        {
            return ApiErrors.Forbidden();
        }
        return Results.Ok(new RegistrationList(await store.ListQueueAsync(at, status, ct)));
    }

    private static async Task<IResult> ApproveAsync(
        Guid id, ClaimsPrincipal user, AccessPolicy access, RegistrationStore store, AuthStateRefresher refresher, ServerClock time,
        WebhookPublisher webhooks, CancellationToken ct) =>
        await DecideAsync(id, approve: true, reason: null, user, access, store, refresher, time, webhooks, ct);

    private static async Task<IResult> RejectAsync(
        Guid id, HttpContext context, ClaimsPrincipal user, AccessPolicy access, RegistrationStore store, AuthStateRefresher refresher,
        ServerClock time, WebhookPublisher webhooks, CancellationToken ct)
    {
        var (body, error) = await RequestBody.ReadAsync<RejectRegistrationRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var reason = body.Reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return ApiErrors.Validation("reason", "required");
        }
        if (reason.Length > 500)
        {
            return ApiErrors.Validation("reason", "too_long");
        }
        return await DecideAsync(id, approve: false, reason, user, access, store, refresher, time, webhooks, ct);
    }

    private static async Task<IResult> DecideAsync(
        Guid id, bool approve, string? reason, ClaimsPrincipal user, AccessPolicy access, RegistrationStore store,
        AuthStateRefresher refresher, ServerClock time, WebhookPublisher webhooks, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var now = time.GetUtcNow();
        Guid? created = null;
        await using (var conn = await store.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            if (await RegistrationStore.LockAsync(conn, tx, id, ct) is not { } r)
            {
                return ApiErrors.NotFound();
            }
            if (!DecidingAt(access, user).Contains(r.ParentId))
            {
                return ApiErrors.Forbidden();
            }
            if (r.Status != "pending")
            {
                return AlreadyDecided();
            }
            if (approve)
            {
                List<RoleGrant> roles;
                if (r.Kind == "teacher")
                {
                    roles = [new RoleGrant(r.Role!, r.ParentId)];
                }
                else
                {
                    var node = new OrganisationNode(Guid.CreateVersion7(), r.ParentId, r.Kind, r.OrganisationName!, r.IsRural);
                    try
                    {
                        await RegistrationStore.InsertOrganisationAsync(conn, tx, node, now, ct);
                    }
                    catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
                    {
                        // An admin created an organisation of that name under the parent after the application was filed.
                        return ApiErrors.Validation("organisationName", "taken");
                    }
                    created = node.Id;
                    roles = [new RoleGrant(AdminRoleFor(r.Kind), node.Id)];
                    await AuditLog.WriteAsync(conn, tx, now, actor, "organisation.create", "organisation", node.Id, node.Id,
                        new { parentId = r.ParentId, kind = r.Kind, name = node.Name, isRural = node.IsRural, registrationId = id }, ct);
                }
                await RegistrationStore.SetApplicantAsync(conn, tx, r.ApplicantId, "active", created, ct);
                await PeopleStore.ReplaceRolesAsync(conn, tx, r.ApplicantId, roles, ct);
                await RegistrationStore.DecideAsync(conn, tx, id, "approved", null, actor, now, created, ct);
                await AuditLog.WriteAsync(conn, tx, now, actor, "registration.approve", "registration", id, r.ParentId,
                    new { kind = r.Kind, applicantId = r.ApplicantId, roles = roles.Select(g => g.ToClaimValue()), organisationId = created }, ct);
            }
            else
            {
                await RegistrationStore.SetApplicantAsync(conn, tx, r.ApplicantId, "rejected", null, ct);
                await RegistrationStore.DecideAsync(conn, tx, id, "rejected", reason, actor, now, null, ct);
                await AuditLog.WriteAsync(conn, tx, now, actor, "registration.reject", "registration", id, r.ParentId,
                    new { kind = r.Kind, applicantId = r.ApplicantId, reason }, ct);
            }
            await tx.CommitAsync(ct);
        }
        if (created is not null)
        {
            await refresher.RefreshAsync(force: false, ct);
        }
        var view = await store.GetAsync(id, ct);
        if (view is not null)
        {
            await webhooks.PublishAsync(WebhookEvents.RegistrationDecided, id.ToString(), [view.ParentId], new
            {
                registrationId = view.Id,
                kind = view.Kind,
                status = view.Status,
                parentId = view.ParentId,
                organisationName = view.OrganisationName,
                role = view.Role,
                applicantId = view.ApplicantId,
                applicantName = view.ApplicantName,
                reason = view.Reason,
                decidedAt = view.DecidedAt,
                createdOrganisationId = view.CreatedOrganisationId,
            }, CancellationToken.None);
        }
        return Results.Ok(view);
    }

    private static IResult AlreadyDecided() =>
        Results.Json(new ErrorBody("already_decided", "This registration has already been decided.", "该注册申请已经处理过。"), statusCode: 409);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registration {RegistrationId} ({Kind}) filed under organisation {ParentId}")]
    private static partial void LogRegistered(ILogger logger, Guid registrationId, string kind, Guid parentId);
}
