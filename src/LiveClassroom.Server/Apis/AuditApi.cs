using System.Security.Claims;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;

namespace LiveClassroom.Server.Apis;

/// <summary>The admin action log, for admins of the organisations it concerns.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", ListAsync).Doc<AuditPage>("ListAudit", "The audit log of the caller's organisations, newest first", 200, 403);
        return app;
    }

    private static async Task<IResult> ListAsync(
        Guid? organisationId, int? limit, ClaimsPrincipal user, AccessPolicy access, AuditLog audit, CancellationToken ct)
    {
        var tree = access.Tree;
        IEnumerable<Guid> roots;
        if (organisationId is { } org)
        {
            if (!access.AdministersOrganisation(user, org))
            {
                return ApiErrors.Forbidden();
            }
            roots = [org];
        }
        else
        {
            roots = access.AdminRoots(user);
        }
        var scope = roots.SelectMany(tree.SubtreeOf).Distinct().ToList();
        if (scope.Count == 0)
        {
            return ApiErrors.Forbidden();
        }
        return Results.Ok(new AuditPage(await audit.ListAsync(scope, Math.Clamp(limit ?? 100, 1, 500), ct)));
    }
}
