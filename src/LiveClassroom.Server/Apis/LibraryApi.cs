using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Access;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Recording;
using Npgsql;

namespace LiveClassroom.Server.Apis;

/// <summary>The resource library: search, details, author edits, views, ratings and the ranking (docs/API-LIBRARY.md).</summary>
public static class LibraryApi
{
    public sealed record EditBody(string? Title, string? Stage, string? Grade, string? Subject, string? TextbookEdition, string? Chapter,
        string? TeacherName, string? SchoolName);

    public sealed record ProgressBody(double PositionSeconds);

    public sealed record RatingBody(int Stars);

    public static IEndpointRouteBuilder MapLibraryApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/library");

        g.MapGet("/resources", async (HttpContext http, LibraryStore store, string? q, string? stage, string? grade, string? subject,
            string? textbookEdition, string? chapter, Guid? schoolId, int? limit, int? offset) =>
        {
            if (Caller.From(http.User) is null)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var search = new ResourceSearch(q, stage, grade, subject, textbookEdition, chapter, schoolId, limit ?? 20, offset ?? 0);
            var items = await store.SearchAsync(search);
            return Results.Ok(new { items = items.Select(r => ResourceDto.From(r, false)), limit = search.Limit, offset = search.Offset });
        }).Doc("SearchLibrary", "Published resources by free text and filters, paged", 200);

        g.MapGet("/resources/mine", async (HttpContext http, LibraryStore store, string? status) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var items = await store.OfSchoolAsync(caller.OrganisationId, status);
            return Results.Ok(new { items = items.Select(r => ResourceDto.From(r, true)) });
        }).Doc("ListMyResources", "The caller's school's recordings in every status", 200);

        // 我的录课 before a draft exists: recordings of the caller's school (or their own) still recording, processing or failed.
        g.MapGet("/recordings/unfinished", async (HttpContext http, NpgsqlDataSource db) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            return Results.Ok(new { items = await UnfinishedRecordings.OfSchoolAsync(db, caller.OrganisationId, caller.PersonId) });
        }).Doc("ListUnfinishedRecordings", "Recordings without a draft yet (recording, processing, failed)", 200);

        g.MapGet("/resources/{id:guid}", async (Guid id, HttpContext http, LibraryStore store, LibraryStatsStore stats,
            RecordingStore recordings, LibraryAccess access) =>
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
            var insider = access.CanSeeUnpublished(http.User, caller, r);
            var chapters = await recordings.ChaptersAsync(r.RecordingId);
            return Results.Ok(new
            {
                resource = ResourceDto.From(r, insider),
                chapters = chapters.Select(c => new { c.OffsetSeconds, c.Type, c.LabelZh, c.LabelEn }),
                stats = await stats.StatsAsync(id, caller.PersonId),
                reviews = insider ? await store.ReviewsAsync(id) : [],
                canEdit = LibraryAccess.IsAuthor(caller, r) && r.Status is ResourceStatus.Draft or ResourceStatus.Rejected,
            });
        }).Doc("GetResource", "A resource with its chapters, figures and the caller's rating", 200, 404);

        g.MapPatch("/resources/{id:guid}", async (Guid id, EditBody body, HttpContext http, LibraryStore store, LibraryAccess access) =>
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
                return LibraryApiErrors.Forbidden("Only the author may edit a resource.", "只有作者可以编辑资源信息。");
            }
            if (Validate(body) is { } invalid)
            {
                return invalid;
            }
            var edit = new CourseInfo(Trim(body.Title), Trim(body.Stage), Trim(body.Grade), Trim(body.Subject), Trim(body.TextbookEdition),
                Trim(body.Chapter), Trim(body.TeacherName), Trim(body.SchoolName));
            if (!await store.EditAsync(id, edit))
            {
                return LibraryApiErrors.Conflict("not_editable", "Only drafts and rejected resources can be edited.", "只有草稿或被退回的资源可以编辑。");
            }
            return Results.Ok(ResourceDto.From((await store.GetAsync(id))!, true));
        }).Doc<ResourceDto>("EditResource", "Edits a draft or rejected resource's metadata (author only)", 200, 400, 403, 404, 409);

        g.MapPost("/resources/{id:guid}/views", async (Guid id, HttpContext http, LibraryStore store, LibraryStatsStore stats, LibraryAccess access) =>
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
            return Results.Json(new { viewId = await stats.StartViewAsync(id, caller.PersonId) }, statusCode: 201);
        }).Doc("StartView", "Starts a viewing session of a resource", 201, 404);

        g.MapPost("/views/{viewId:guid}/progress", async (Guid viewId, ProgressBody body, HttpContext http, LibraryStatsStore stats) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            if (!double.IsFinite(body.PositionSeconds) || body.PositionSeconds < 0)
            {
                return LibraryApiErrors.Invalid("positionSeconds must be a non-negative number.", "positionSeconds 必须是非负数。");
            }
            var completion = await stats.ProgressAsync(viewId, caller.PersonId, body.PositionSeconds);
            return completion is null ? LibraryApiErrors.NotFound("The viewing session", "该观看记录") : Results.Ok(new { completion });
        }).Doc("ReportViewProgress", "Reports the playing position of a viewing session", 200, 400, 404);

        g.MapPut("/resources/{id:guid}/rating", async (Guid id, RatingBody body, HttpContext http, LibraryStore store, LibraryStatsStore stats,
            LibraryAccess access) =>
        {
            if (Caller.From(http.User) is not { } caller)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            if (body.Stars is < 1 or > 5)
            {
                return LibraryApiErrors.Invalid("stars must be 1 to 5.", "评分必须是 1 到 5 星。");
            }
            var r = await store.GetAsync(id);
            if (r is null || !access.CanSee(http.User, caller, r))
            {
                return LibraryApiErrors.NotFound("The resource", "该资源");
            }
            if (r.Status != ResourceStatus.Published)
            {
                return LibraryApiErrors.Conflict("not_published", "Only published resources can be rated.", "只能为已发布的资源评分。");
            }
            await stats.RateAsync(id, caller.PersonId, body.Stars);
            return Results.Ok(await stats.StatsAsync(id, caller.PersonId));
        }).Doc("RateResource", "Rates a published resource 1 to 5 stars", 200, 400, 404, 409);

        g.MapGet("/ranking", async (HttpContext http, LibraryStatsStore stats, ServerClock time, string? period, int? limit) =>
        {
            if (Caller.From(http.User) is null)
            {
                return LibraryApiErrors.Unauthenticated();
            }
            var p = period ?? "term";
            if (p is not ("term" or "month"))
            {
                return LibraryApiErrors.Invalid("period must be term or month.", "period 只能是 term 或 month。");
            }
            var since = LibraryStatsStore.PeriodStart(p, time.GetUtcNow().UtcDateTime);
            return Results.Ok(new { period = p, since, items = await stats.RankingAsync(since, limit ?? 20) });
        }).Doc("GetRanking", "Most-watched resources of the term or of the last 30 days", 200, 400);

        app.MapLibraryReviewApi();
        app.MapLibraryMediaApi();
        return app;
    }

    private static IResult? Validate(EditBody b)
    {
        if (b.Title is { } t && (t.Trim().Length is 0 or > 200))
        {
            return LibraryApiErrors.Invalid("title must be 1 to 200 characters.", "标题长度须为 1 到 200 个字符。");
        }
        if (b.Stage is { } s && !ResourceStatus.Stages.Contains(s.Trim()))
        {
            return LibraryApiErrors.Invalid("stage must be one of 小学, 初中, 高中.", "学段只能是小学、初中或高中。");
        }
        if ((b.Grade?.Length ?? 0) > 50 || (b.Subject?.Length ?? 0) > 50 || (b.TextbookEdition?.Length ?? 0) > 100
            || (b.Chapter?.Length ?? 0) > 200 || (b.TeacherName?.Length ?? 0) > 100 || (b.SchoolName?.Length ?? 0) > 200)
        {
            return LibraryApiErrors.Invalid("A field is too long.", "有字段超出长度限制。");
        }
        return null;
    }

    private static string? Trim(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
