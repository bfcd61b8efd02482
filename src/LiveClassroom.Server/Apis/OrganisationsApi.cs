using LiveClassroom.Server.Hosting;
using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;

namespace LiveClassroom.Server.Apis;

/// <summary>The organisation tree and classrooms (docs/API.md, "Organisations").</summary>
public static class OrganisationsApi
{
    public static IEndpointRouteBuilder MapOrganisationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/organisations", TreeAsync).Doc<OrganisationForest>("ListOrganisations", "The organisation trees visible to the caller", 200);
        app.MapPost("/api/organisations", CreateAsync).Doc<OrganisationView>("CreateOrganisation", "Creates an organisation under one the caller administers", 201, 400, 403).Body<CreateOrganisationRequest>();
        app.MapPatch("/api/organisations/{id:guid}", UpdateAsync).Doc<OrganisationView>("UpdateOrganisation", "Renames an organisation or changes its rural flag", 200, 400, 403, 404).Body<UpdateOrganisationRequest>();
        app.MapGet("/api/organisations/{id:guid}/classrooms", ClassroomsAsync).Doc<ClassroomList>("ListClassrooms", "Classrooms of a school", 200, 400, 403, 404);
        app.MapPost("/api/organisations/{id:guid}/classrooms", CreateClassroomAsync).Doc<ClassroomView>("CreateClassroom", "Adds a classroom to a school", 201, 400, 403, 404).Body<CreateClassroomRequest>();
        return app;
    }

    /// <summary>
    /// An organisation made on another node moments ago may not be in this node's cache yet: reload once before
    /// deciding that it is unknown (and so that nobody administers it).
    /// </summary>
    public static async Task EnsureCachedAsync(AccessPolicy access, AuthStateRefresher refresher, Guid organisationId, CancellationToken ct)
    {
        if (access.Tree.Find(organisationId) is null)
        {
            await refresher.RefreshAsync(force: false, ct);
        }
    }

    private static async Task<IResult> TreeAsync(ClaimsPrincipal user, AccessPolicy access, OrganisationStore store, CancellationToken ct)
    {
        var tree = access.Tree;
        var full = new HashSet<Guid>();
        foreach (var grant in access.RolesOf(user))
        {
            // Admins and researchers see below their organisation; teachers see their own school.
            if (Roles.IsAdmin(grant.Role) || grant.Role == Roles.Researcher)
            {
                full.UnionWith(tree.SubtreeOf(grant.OrganisationId));
            }
            else if (tree.Find(grant.OrganisationId) is not null)
            {
                full.Add(grant.OrganisationId);
            }
        }
        if (access.OrganisationId(user) is { } home && tree.Find(home) is not null)
        {
            full.Add(home);
        }
        var included = new HashSet<Guid>(full);
        foreach (var id in full)
        {
            included.UnionWith(tree.PathToRoot(id).Select(n => n.Id));
        }
        var schools = full.Where(id => tree.Find(id)?.Kind == OrganisationKinds.School).ToList();
        var classrooms = (await store.ListClassroomsAsync(schools, ct))
            .GroupBy(c => c.SchoolId)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<ClassroomSummary>)[.. g.Select(c => new ClassroomSummary(c.Id, c.Name))]);

        OrganisationView Build(OrganisationNode node) => new(
            node.Id, node.ParentId, node.Kind, node.Name, node.IsRural,
            access.AdministersOrganisation(user, node.Id), !full.Contains(node.Id),
            classrooms.TryGetValue(node.Id, out var rooms) ? rooms : [],
            [.. tree.ChildrenOf(node.Id).Where(included.Contains).Select(id => tree.Find(id)!).OrderBy(n => n.Name, StringComparer.Ordinal).Select(Build)]);

        var roots = included.Select(id => tree.Find(id)!)
            .Where(n => n.ParentId is not { } parent || !included.Contains(parent))
            .OrderBy(n => n.Name, StringComparer.Ordinal)
            .Select(Build)
            .ToList();
        return Results.Ok(new OrganisationForest(roots));
    }

    private static async Task<IResult> CreateAsync(
        HttpContext context, ClaimsPrincipal user, AccessPolicy access, OrganisationStore store, AuthStateRefresher refresher,
        ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<CreateOrganisationRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var fields = new Dictionary<string, string>();
        OrganisationNode? parent = null;
        if (body.ParentId is not { } parentId)
        {
            fields["parentId"] = "required";
        }
        else if ((parent = await store.GetAsync(parentId, ct)) is null)
        {
            fields["parentId"] = "unknown_organisation";
        }
        if (string.IsNullOrWhiteSpace(body.Kind))
        {
            fields["kind"] = "required";
        }
        else if (parent is not null && OrganisationKinds.ChildOf(parent.Kind) != body.Kind)
        {
            fields["kind"] = "wrong_kind";
        }
        if (NameProblem(body.Name, 200) is { } nameProblem)
        {
            fields["name"] = nameProblem;
        }
        if (body.IsRural == true && body.Kind != OrganisationKinds.School)
        {
            fields["isRural"] = "invalid";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        await EnsureCachedAsync(access, refresher, parent!.Id, ct);
        if (!access.AdministersOrganisation(user, parent.Id))
        {
            return ApiErrors.Forbidden();
        }
        OrganisationNode node;
        try
        {
            node = await store.CreateAsync(parent.Id, body.Kind!, body.Name!.Trim(), body.IsRural ?? false, actor, time.GetUtcNow(), ct);
        }
        catch (Npgsql.PostgresException ex) when (IsDuplicateName(ex))
        {
            return ApiErrors.Validation("name", "taken");
        }
        await refresher.RefreshAsync(force: false, ct);
        return Results.Json(new OrganisationView(node.Id, node.ParentId, node.Kind, node.Name, node.IsRural, true, false, [], []), statusCode: 201);
    }

    private static async Task<IResult> UpdateAsync(
        Guid id, HttpContext context, ClaimsPrincipal user, AccessPolicy access, OrganisationStore store, AuthStateRefresher refresher,
        ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<UpdateOrganisationRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var existing = await store.GetAsync(id, ct);
        if (existing is null)
        {
            return ApiErrors.NotFound();
        }
        await EnsureCachedAsync(access, refresher, id, ct);
        if (!access.AdministersOrganisation(user, id))
        {
            return ApiErrors.Forbidden();
        }
        var fields = new Dictionary<string, string>();
        if (body.Name is not null && NameProblem(body.Name, 200) is { } nameProblem)
        {
            fields["name"] = nameProblem;
        }
        if (body.IsRural == true && existing.Kind != OrganisationKinds.School)
        {
            fields["isRural"] = "invalid";
        }
        if (fields.Count > 0)
        {
            return ApiErrors.Validation(fields);
        }
        OrganisationNode? node;
        try
        {
            node = await store.UpdateAsync(id, body.Name?.Trim(), body.IsRural, actor, time.GetUtcNow(), ct);
        }
        catch (Npgsql.PostgresException ex) when (IsDuplicateName(ex))
        {
            return ApiErrors.Validation("name", "taken");
        }
        if (node is null)
        {
            return ApiErrors.NotFound();
        }
        await refresher.RefreshAsync(force: false, ct);
        return Results.Ok(new OrganisationView(node.Id, node.ParentId, node.Kind, node.Name, node.IsRural, true, false, [], []));
    }

    private static async Task<IResult> ClassroomsAsync(
        Guid id, ClaimsPrincipal user, AccessPolicy access, OrganisationStore store, AuthStateRefresher refresher, CancellationToken ct)
    {
        var school = await store.GetAsync(id, ct);
        if (school is null)
        {
            return ApiErrors.NotFound();
        }
        await EnsureCachedAsync(access, refresher, id, ct);
        var allowed = access.HasAnyRoleAtOrAbove(user, id) || access.SchoolId(user) == id;
        if (!allowed)
        {
            return ApiErrors.Forbidden();
        }
        if (school.Kind != OrganisationKinds.School)
        {
            return ApiErrors.Validation("id", "not_a_school");
        }
        return Results.Ok(new ClassroomList(await store.ListClassroomsAsync([id], ct)));
    }

    private static async Task<IResult> CreateClassroomAsync(
        Guid id, HttpContext context, ClaimsPrincipal user, AccessPolicy access, OrganisationStore store, AuthStateRefresher refresher,
        ServerClock time, CancellationToken ct)
    {
        if (access.PersonId(user) is not { } actor)
        {
            return ApiErrors.Forbidden();
        }
        var (body, error) = await RequestBody.ReadAsync<CreateClassroomRequest>(context.Request, ct);
        if (body is null)
        {
            return error!;
        }
        var school = await store.GetAsync(id, ct);
        if (school is null)
        {
            return ApiErrors.NotFound();
        }
        await EnsureCachedAsync(access, refresher, id, ct);
        if (!access.AdministersOrganisation(user, id))
        {
            return ApiErrors.Forbidden();
        }
        if (school.Kind != OrganisationKinds.School)
        {
            return ApiErrors.Validation("id", "not_a_school");
        }
        if (NameProblem(body.Name, 100) is { } nameProblem)
        {
            return ApiErrors.Validation("name", nameProblem);
        }
        var classroom = await store.CreateClassroomAsync(id, body.Name!.Trim(), actor, time.GetUtcNow(), ct);
        await refresher.RefreshAsync(force: false, ct);
        return Results.Json(classroom, statusCode: 201);
    }

    /// <summary>Two organisations of one parent may not share a name (migration 0009).</summary>
    private static bool IsDuplicateName(Npgsql.PostgresException ex) =>
        ex.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation && ex.ConstraintName == "organisations_parent_name_idx";

    /// <summary>A validation code for a missing or over-long name, or null.</summary>
    public static string? NameProblem(string? name, int maxLength) => name?.Trim() switch
    {
        null or "" => "required",
        { Length: var n } when n > maxLength => "too_long",
        _ => null,
    };
}
