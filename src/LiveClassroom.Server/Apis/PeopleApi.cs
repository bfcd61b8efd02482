using LiveClassroom.Server.Hosting;
using System.Security.Claims;
using System.Text.RegularExpressions;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;
using Npgsql;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// People admin (docs/API.md, "People"). An admin manages a person when they administer the person's organisation
/// and every organisation where the person holds an admin role, so a school admin cannot touch a county admin.
/// </summary>
public static partial class PeopleApi
{
    [GeneratedRegex("^[a-z0-9_.-]{3,64}$")]
    private static partial Regex UsernamePattern();

    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/people", ListAsync).Doc<PeoplePage>("ListPeople", "People of the organisations the caller administers, paged and searchable", 200, 403);
        app.MapGet("/api/people/{id:guid}", GetAsync).Doc<PersonView>("GetPerson", "One person the caller manages", 200, 403, 404);
        app.MapPost("/api/people", CreateAsync).Doc<PersonView>("CreatePerson", "Creates an account", 201, 400, 403).Body<CreatePersonRequest>();
        app.MapPatch("/api/people/{id:guid}", UpdateAsync).Doc<PersonView>("UpdatePerson", "Changes a person's name, active flag or password", 200, 400, 403, 404).Body<UpdatePersonRequest>();
        app.MapPut("/api/people/{id:guid}/roles", ReplaceRolesAsync).Doc<PersonView>("ReplacePersonRoles", "Replaces a person's roles", 200, 400, 403, 404).Body<ReplaceRolesRequest>();
        return app;
    }

    private static async Task<IResult> ListAsync(
        Guid? organisationId, string? q, int? page, int? pageSize, ClaimsPrincipal user, AccessPolicy access, PeopleStore people,
        AuthStateRefresher refresher, CancellationToken ct)
    {
        var tree = access.Tree;
        List<Guid> scope;
        if (organisationId is { } org)
        {
            await OrganisationsApi.EnsureCachedAsync(access, refresher, org, ct);
            if (!access.AdministersOrganisation(user, org))
            {
                return ApiErrors.Forbidden();
            }
            scope = [.. access.Tree.SubtreeOf(org)];
        }
        else
        {
            var roots = access.AdminRoots(user);
            if (roots.Count == 0)
            {
                return ApiErrors.Forbidden();
            }
            scope = [.. roots.SelectMany(tree.SubtreeOf).Distinct()];
        }
        var p = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var (items, total) = await people.ListAsync(scope, q, p, size, ct);
        return Results.Ok(new PeoplePage(items, total, p, size));
    }

    private static async Task<IResult> GetAsync(Guid id, ClaimsPrincipal user, AccessPolicy access, PeopleStore people, CancellationToken ct)
    {
        var person = await people.GetAsync(id, ct);
        if (person is null)
        {
            return ApiErrors.NotFound();
        }
        return Manages(access, user, person) ? Results.Ok(person) : ApiErrors.Forbidden();
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, ClaimsPrincipal user, AccessPolicy access, PeopleStore people, AuthStateRefresher refresher,
        ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<CreatePersonRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        if (body.OrganisationId is { } requestedOrg)
        {
            await OrganisationsApi.EnsureCachedAsync(access, refresher, requestedOrg, ct);
        }
        var tree = access.Tree;
        var fields = new Dictionary<string, string>();
        if (body.OrganisationId is not { } org)
        {
            fields["organisationId"] = "required";
        }
        else if (tree.Find(org) is null)
        {
            fields["organisationId"] = "unknown_organisation";
        }
        var username = body.Username is null ? "" : AuthApi.NormaliseUsername(body.Username);
        if (username.Length == 0)
        {
            fields["username"] = "required";
        }
        else if (!UsernamePattern().IsMatch(username))
        {
            fields["username"] = "invalid_format";
        }
        if (OrganisationsApi.NameProblem(body.DisplayName, 100) is { } nameProblem)
        {
            fields["displayName"] = nameProblem;
        }
        if (AuthApi.PasswordProblem(body.Password) is { } passwordProblem)
        {
            fields["password"] = passwordProblem;
        }
        var grants = RoleRules.Validate(body.Roles, tree, fields);
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        var home = body.OrganisationId!.Value;
        if (!access.AdministersOrganisation(user, home) || grants.Any(g => !access.AdministersOrganisation(user, g.OrganisationId)))
        {
            return ApiErrors.Forbidden();
        }
        var id = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        await using (var conn = await people.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            if (await PeopleStore.UsernameTakenAsync(conn, tx, username, ct))
            {
                return ApiErrors.Validation("username", "taken");
            }
            try
            {
                await PeopleStore.InsertAsync(conn, tx, id, home, username, body.DisplayName!.Trim(), PasswordHasher.Hash(body.Password!), now, ct);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                // Someone took the name between the check and the insert.
                return ApiErrors.Validation("username", "taken");
            }
            await PeopleStore.ReplaceRolesAsync(conn, tx, id, grants, ct);
            await AuditLog.WriteAsync(conn, tx, now, actor, "person.create", "person", id, home,
                new { username, displayName = body.DisplayName.Trim(), roles = grants.Select(g => g.ToClaimValue()) }, ct);
            await tx.CommitAsync(ct);
        }
        return Results.Json(await people.GetAsync(id, ct), statusCode: 201);
    }

    private static async Task<IResult> UpdateAsync(
        Guid id, HttpContext context, ClaimsPrincipal user, AccessPolicy access, PeopleStore people, AuthStateRefresher refresher,
        ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<UpdatePersonRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var person = await people.GetAsync(id, ct);
        if (person is null)
        {
            return ApiErrors.NotFound();
        }
        if (!Manages(access, user, person))
        {
            return ApiErrors.Forbidden();
        }
        var fields = new Dictionary<string, string>();
        if (body.DisplayName is not null && OrganisationsApi.NameProblem(body.DisplayName, 100) is { } nameProblem)
        {
            fields["displayName"] = nameProblem;
        }
        if (body.Password is not null && AuthApi.PasswordProblem(body.Password) is { } passwordProblem)
        {
            fields["password"] = passwordProblem;
        }
        if (body.IsActive == false && id == actor)
        {
            fields["isActive"] = "invalid";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        await using (var conn = await people.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            await PeopleStore.UpdateAsync(conn, tx, id, body.DisplayName?.Trim(), body.IsActive,
                body.Password is null ? null : PasswordHasher.Hash(body.Password), ct);
            if (body.Password is not null && id != actor)
            {
                // A reset by an admin ends the sessions of whoever may have had the old password.
                await PeopleStore.EndSessionsAsync(conn, tx, id, time.GetUtcNow(), ct);
            }
            await AuditLog.WriteAsync(conn, tx, time.GetUtcNow(), actor, "person.update", "person", id, person.OrganisationId,
                new { displayName = body.DisplayName?.Trim(), body.IsActive, passwordChanged = body.Password is not null }, ct);
            await tx.CommitAsync(ct);
        }
        if (body.IsActive is not null || body.Password is not null)
        {
            // Deactivation and ended sessions must hold at once here; other nodes follow within a refresh interval.
            await refresher.RefreshAsync(force: false, ct);
        }
        return Results.Ok(await people.GetAsync(id, ct));
    }

    private static async Task<IResult> ReplaceRolesAsync(
        Guid id, HttpContext context, ClaimsPrincipal user, AccessPolicy access, PeopleStore people, AuthStateRefresher refresher,
        ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<ReplaceRolesRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var person = await people.GetAsync(id, ct);
        if (person is null)
        {
            return ApiErrors.NotFound();
        }
        if (id == actor || !Manages(access, user, person))
        {
            return ApiErrors.Forbidden();
        }
        if (body.Roles is null)
        {
            return ApiErrors.Validation("roles", "required");
        }
        var fields = new Dictionary<string, string>();
        var wanted = RoleRules.Validate(body.Roles, access.Tree, fields);
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        await using (var conn = await people.DataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            if (await PeopleStore.LockHomeOrganisationAsync(conn, tx, id, ct) is null)
            {
                return ApiErrors.NotFound();
            }
            var current = await PeopleStore.RolesAsync(conn, tx, id, ct);
            var added = wanted.Except(current).ToList();
            var removed = current.Except(wanted).ToList();
            if (added.Concat(removed).Any(g => !access.AdministersOrganisation(user, g.OrganisationId)))
            {
                return ApiErrors.Forbidden();
            }
            await PeopleStore.ReplaceRolesAsync(conn, tx, id, wanted, ct);
            if (added.Count + removed.Count > 0)
            {
                // The person's token carries the old roles: end it so they log in again with the new ones.
                await PeopleStore.EndSessionsAsync(conn, tx, id, time.GetUtcNow(), ct);
            }
            await AuditLog.WriteAsync(conn, tx, time.GetUtcNow(), actor, "person.roles", "person", id, person.OrganisationId,
                new { added = added.Select(g => g.ToClaimValue()), removed = removed.Select(g => g.ToClaimValue()) }, ct);
            await tx.CommitAsync(ct);
        }
        await refresher.RefreshAsync(force: false, ct);
        return Results.Ok(await people.GetAsync(id, ct));
    }

    private static bool Manages(AccessPolicy access, ClaimsPrincipal user, PersonView person) =>
        access.AdministersOrganisation(user, person.OrganisationId)
        && person.Roles.Where(r => Roles.IsAdmin(r.Role)).All(r => access.AdministersOrganisation(user, r.OrganisationId));
}
