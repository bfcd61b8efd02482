using LiveClassroom.Server.Access;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Webhooks;

namespace LiveClassroom.Server.Apis;

/// <summary>Review before publishing: submit, the reviewers' queue, school then county decisions, takedown.</summary>
public static class LibraryReviewApi
{
    public sealed record ReviewBody(string? Decision, string? Reason);

    public sealed record TakedownBody(string? Reason);

    public static IEndpointRouteBuilder MapLibraryReviewApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/library");

        g.MapPost("/resources/{id:guid}/submit", async (Guid id, HttpContext http, LibraryStore store, LibraryAccess access) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var r = await store.GetAsync(id);
            if (r is null || !access.CanSee(http.User, caller, r))
            {
                return LibraryApiErrors.NotFound("The resource", "该资源");
            }
            if (!LibraryAccess.IsAuthor(caller, r))
            {
                return LibraryApiErrors.Forbidden("Only the author may submit a resource for review.", "只有作者可以提交审核。");
            }
            if (!await store.TransitionAsync(id, [ResourceStatus.Draft, ResourceStatus.Rejected], ResourceStatus.PendingSchool,
                    "submit", "submitted", null, caller.PersonId))
            {
                return LibraryApiErrors.Conflict("invalid_state", "Only drafts and rejected resources can be submitted.", "只有草稿或被退回的资源可以提交审核。");
            }
            return Results.Ok(ResourceDto.From((await store.GetAsync(id))!, true));
        }).Doc<ResourceDto>("SubmitResource", "Submits a draft or rejected resource for review (author only)", 200, 403, 404, 409);

        g.MapGet("/review-queue", async (HttpContext http, LibraryStore store) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var items = await store.ReviewQueueAsync(caller.OrganisationsWith(Auth.Roles.SchoolAdmin), caller.UpperAdminOrganisations);
            return Results.Ok(new { items = items.Select(r => ResourceDto.From(r, true)) });
        }).Doc("GetReviewQueue", "Resources the caller can decide now", 200);

        g.MapPost("/resources/{id:guid}/review", async (Guid id, ReviewBody body, HttpContext http, LibraryStore store, LibraryAccess access, WebhookPublisher webhooks) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var approve = body.Decision == "approve";
            if (!approve && body.Decision != "reject")
            {
                return LibraryApiErrors.Invalid("decision must be approve or reject.", "decision 只能是 approve 或 reject。");
            }
            var reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
            if (!approve && reason is null)
            {
                return LibraryApiErrors.Invalid("A rejection needs a reason.", "退回时必须填写理由。");
            }
            if (reason is { Length: > 1000 })
            {
                return LibraryApiErrors.Invalid("The reason is too long (1000 characters at most).", "理由过长（最多 1000 字）。");
            }
            var r = await store.GetAsync(id);
            if (r is null || !access.CanSee(http.User, caller, r))
            {
                return LibraryApiErrors.NotFound("The resource", "该资源");
            }
            string step, next;
            if (r.Status == ResourceStatus.PendingSchool)
            {
                if (!LibraryAccess.CanReviewAtSchool(caller, r))
                {
                    return LibraryApiErrors.Forbidden("The school review is done by a school admin of the author's school.", "学校审核须由作者所在学校的管理员完成。");
                }
                (step, next) = ("school", approve ? ResourceStatus.PendingCounty : ResourceStatus.Rejected);
            }
            else if (r.Status == ResourceStatus.PendingCounty)
            {
                if (!access.CanReviewAtCounty(http.User, r))
                {
                    return LibraryApiErrors.Forbidden("The county review is done by a county admin above the author's school.", "区县审核须由上级区县管理员完成。");
                }
                (step, next) = ("county", approve ? ResourceStatus.Published : ResourceStatus.Rejected);
            }
            else
            {
                return LibraryApiErrors.Conflict("invalid_state", "The resource is not waiting for review.", "该资源不在待审核状态。");
            }
            if (!await store.TransitionAsync(id, [r.Status], next, step, approve ? "approved" : "rejected", reason, caller.PersonId))
            {
                return LibraryApiErrors.Conflict("invalid_state", "Someone else decided first.", "该资源已由他人处理。");
            }
            var decided = (await store.GetAsync(id))!;
            await webhooks.PublishAsync(WebhookEvents.ReviewDecided, $"{id}:{step}:{decided.UpdatedAt.Ticks}", [decided.SchoolId],
                ResourceEvent(decided, webhooks, new { step, decision = approve ? "approved" : "rejected", reason, decidedBy = caller.PersonId }));
            if (next == ResourceStatus.Published)
            {
                await webhooks.PublishAsync(WebhookEvents.RecordingPublished, $"{id}:{decided.PublishedAt?.Ticks}", [decided.SchoolId], ResourceEvent(decided, webhooks, null));
            }
            return Results.Ok(ResourceDto.From(decided, true));
        }).Doc<ResourceDto>("ReviewResource", "Approves or rejects a resource at the caller's review level", 200, 400, 403, 404, 409);

        g.MapPost("/resources/{id:guid}/takedown", async (Guid id, TakedownBody body, HttpContext http, LibraryStore store, LibraryAccess access, WebhookPublisher webhooks) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var reason = string.IsNullOrWhiteSpace(body.Reason) ? null : body.Reason.Trim();
            if (reason is null || reason.Length > 1000)
            {
                return LibraryApiErrors.Invalid("A takedown needs a reason (1000 characters at most).", "下架必须填写理由（最多 1000 字）。");
            }
            var r = await store.GetAsync(id);
            if (r is null || !access.CanSee(http.User, caller, r))
            {
                return LibraryApiErrors.NotFound("The resource", "该资源");
            }
            if (!access.CanReviewAtCounty(http.User, r))
            {
                return LibraryApiErrors.Forbidden("Only a county admin or above may take a resource down.", "只有区县及以上管理员可以下架资源。");
            }
            if (!await store.TransitionAsync(id, [ResourceStatus.Published], ResourceStatus.TakenDown, "takedown", "taken_down", reason, caller.PersonId))
            {
                return LibraryApiErrors.Conflict("invalid_state", "Only published resources can be taken down.", "只有已发布的资源可以下架。");
            }
            var takenDown = (await store.GetAsync(id))!;
            await webhooks.PublishAsync(WebhookEvents.RecordingTakenDown, $"{id}:{takenDown.UpdatedAt.Ticks}", [takenDown.SchoolId],
                ResourceEvent(takenDown, webhooks, new { reason, takenDownBy = caller.PersonId }));
            return Results.Ok(ResourceDto.From(takenDown, true));
        }).Doc<ResourceDto>("TakeDownResource", "Takes a published resource down (county admin or above)", 200, 400, 403, 404, 409);
        return app;
    }

    /// <summary>The webhook data of a resource event: the resource, its recording and links, plus what the event adds.</summary>
    private static object ResourceEvent(ResourceRow r, WebhookPublisher webhooks, object? decision) => new
    {
        resourceId = r.Id,
        recordingId = r.RecordingId,
        schoolId = r.SchoolId,
        schoolName = r.SchoolName,
        title = r.Title,
        status = r.Status,
        stage = r.Stage,
        grade = r.Grade,
        subject = r.Subject,
        teacherName = r.TeacherName,
        durationSeconds = r.DurationSeconds,
        publishedAt = r.PublishedAt is { } p ? DateTime.SpecifyKind(p, DateTimeKind.Utc) : (DateTime?)null,
        decision,
        links = new { resource = webhooks.Link($"/api/library/resources/{r.Id}") },
    };
}
