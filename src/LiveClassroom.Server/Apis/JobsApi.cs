using LiveClassroom.Server.Access;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Jobs;

namespace LiveClassroom.Server.Apis;

/// <summary>Processing jobs for admins: a school admin sees their school's, a county/city/province admin everything below them.</summary>
public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/jobs", async (HttpContext http, JobQueue jobs, AccessPolicy policy, string? status, int? limit) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var adminOf = policy.AdminRoots(http.User);
            if (adminOf.Count == 0)
            {
                return LibraryApiErrors.Forbidden("Only admins see processing jobs.", "只有管理员可以查看处理任务。");
            }
            if (status is not (null or "queued" or "running" or "succeeded" or "failed"))
            {
                return LibraryApiErrors.Invalid("status must be queued, running, succeeded or failed.", "status 只能是 queued、running、succeeded 或 failed。");
            }
            var scope = adminOf.SelectMany(policy.Tree.SubtreeOf).Distinct().ToArray();
            var rows = await jobs.ListAsync(scope, status, Math.Clamp(limit ?? 50, 1, 200));
            return Results.Ok(new
            {
                items = rows.Select(j => new
                {
                    j.Id, j.Kind, j.Status, j.Progress, j.Attempts, j.MaxAttempts, j.NextRunAt, j.LockedBy, j.LockedUntil,
                    j.LastError, j.OrganisationId, j.CreatedAt, j.UpdatedAt, payload = System.Text.Json.JsonDocument.Parse(j.Payload).RootElement,
                }),
            });
        }).Doc("ListJobs", "Processing jobs (recording finalize and others) of the caller's organisations", 200, 400, 403);
        return app;
    }
}
