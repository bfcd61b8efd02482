using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Research;
using LiveClassroom.Server.Research.Contracts;

namespace LiveClassroom.Server.Apis;

/// <summary>集体备课: lesson plans drafted by the main preparer, revised and commented on by the group.</summary>
public static partial class ResearchApi
{
    private const int MaxPlanChars = 200_000;

    /// <summary>A full plan in a JSON body: up to 3 UTF-8 bytes a character, more where JSON escapes one (Hosting/RequestBodyLimit).</summary>
    public const long MaxPlanBodyBytes = 2 * 1024 * 1024;

    private static void MapLessonPlans(RouteGroupBuilder api)
    {
        api.MapPost("/lesson-plans", async (HttpContext http, ResearchStore store, ResearchAccess access, ServerClock time, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var req = await BodyAsync<CreateLessonPlanRequest>(http.Request, ct);
            var org = req.OrganisationId ?? caller.OrganisationId
                ?? throw ResearchApiException.BadRequest("invalid_organisationId", "'organisationId' is required.", "请指定所属单位。");
            if (!access.BelongsTo(caller, org))
            {
                throw ResearchApiException.Forbidden("not_in_organisation", "You can only prepare lessons in your own school or one you supervise.", "只能在本校或所辖单位开展集体备课。");
            }
            var main = req.MainPreparerId ?? caller.PersonId;
            var members = (req.MemberIds ?? []).Append(main).Append(caller.PersonId).Distinct().ToList();
            if (members.Count > 100)
            {
                throw ResearchApiException.BadRequest("invalid_memberIds", "At most 100 members.", "备课组成员不超过 100 人。");
            }
            var known = await store.PeopleAsync(members, ct);
            if (members.FirstOrDefault(m => !known.ContainsKey(m)) is var missing && missing != Guid.Empty)
            {
                throw ResearchApiException.BadRequest("unknown_person", $"No active person {missing}.", $"用户 {missing} 不存在或已停用。");
            }
            if (req.SessionId is { } sid)
            {
                await access.RequireMemberAsync(caller, sid, ct);
            }
            var body = req.Body ?? "";
            if (body.Length > MaxPlanChars)
            {
                throw ResearchApiException.BadRequest("plan_too_long", $"A lesson plan is at most {MaxPlanChars} characters.", $"教案不超过 {MaxPlanChars} 个字符。");
            }
            var plan = new LessonPlanRecord(Guid.CreateVersion7(), org, ResearchValidation.Text(req.Subject, "subject", "学科", 50),
                ResearchValidation.OneOf(req.Stage, ResearchValidation.Stages, "stage", "学段"), ResearchValidation.Text(req.Grade, "grade", "年级", 50, required: false),
                ResearchValidation.Text(req.Chapter, "chapter", "课题", 200), main, req.PrepareAt, ResearchValidation.Text(req.Place, "place", "地点", 200, required: false),
                req.SessionId, null, caller.PersonId, time.GetUtcNow(), members);
            await store.CreatePlanAsync(plan, body, ct);
            return Results.Created($"/api/research/lesson-plans/{plan.Id}", await PlanViewAsync(store, plan, ct));
        }).Doc("CreateLessonPlan", "Creates a lesson plan (集体备课)", 201, 400, 403, 404, 409, 503).Body<CreateLessonPlanRequest>().WithBodyLimit(MaxPlanBodyBytes);

        api.MapGet("/lesson-plans/{id:guid}", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
            Results.Ok(await PlanViewAsync(store, await RequirePlanAsync(store, access, Caller(http), id, ct), ct))).Doc("GetLessonPlan", "A lesson plan with its latest version", 200, 403, 404);

        api.MapGet("/lesson-plans/{id:guid}/versions/{version:int}", async (Guid id, int version, HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
        {
            var plan = await RequirePlanAsync(store, access, Caller(http), id, ct);
            return Results.Ok(await VersionAsync(store, plan.Id, version, ct));
        }).Doc("GetLessonPlanVersion", "One version of a lesson plan", 200, 403, 404);

        api.MapPost("/lesson-plans/{id:guid}/versions", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, ServerClock time, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var plan = await RequirePlanAsync(store, access, caller, id, ct);
            var req = await BodyAsync<LessonPlanVersionRequest>(http.Request, ct);
            if (req.Body is null || req.Body.Length > MaxPlanChars)
            {
                throw ResearchApiException.BadRequest("invalid_body", $"'body' (the full text) is required, at most {MaxPlanChars} characters.", $"须提交完整教案正文，且不超过 {MaxPlanChars} 个字符。");
            }
            if (req.BaseVersion is not { } baseVersion)
            {
                throw ResearchApiException.BadRequest("invalid_baseVersion", "'baseVersion' (the version you edited) is required.", "请注明修改所基于的版本号。");
            }
            var (saved, version) = await store.AddPlanVersionAsync(plan.Id, baseVersion, req.Body,
                ResearchValidation.Text(req.Summary, "summary", "修改说明", 500, required: false), caller.PersonId, time.GetUtcNow(), ct);
            if (!saved)
            {
                throw ResearchApiException.Conflict("version_conflict",
                    $"Version {version} was saved after version {baseVersion} that you edited; merge your changes into version {version} and save again (your text was not stored).",
                    $"您编辑的是第 {baseVersion} 版，但已有人保存了第 {version} 版。请在第 {version} 版基础上合并修改后再保存（本次内容未保存，请勿关闭编辑器）。");
            }
            return Results.Created($"/api/research/lesson-plans/{plan.Id}/versions/{version}", await VersionAsync(store, plan.Id, version, ct));
        }).Doc("AddLessonPlanVersion", "Saves a new version of a lesson plan", 201, 400, 403, 404, 409, 503).Body<LessonPlanVersionRequest>().WithBodyLimit(MaxPlanBodyBytes);

        api.MapGet("/lesson-plans/{id:guid}/diff", async (Guid id, int? from, int? to, HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
        {
            var plan = await RequirePlanAsync(store, access, Caller(http), id, ct);
            if (from is not { } a || to is not { } b)
            {
                throw ResearchApiException.BadRequest("invalid_range", "Query 'from' and 'to' (version numbers) are required.", "请指定要比较的两个版本号 from 和 to。");
            }
            var older = await VersionAsync(store, plan.Id, a, ct);
            var newer = await VersionAsync(store, plan.Id, b, ct);
            IReadOnlyList<DiffLine> lines;
            try
            {
                lines = LineDiff.Compute(older.Body!, newer.Body!);
            }
            catch (ArgumentException)
            {
                throw ResearchApiException.BadRequest("diff_too_large", $"More than {LineDiff.MaxChangedLines} lines changed; compare nearer versions.", "两个版本差异过大，请比较相邻的版本。");
            }
            return Results.Ok(new
            {
                from = a,
                to = b,
                fromAuthor = older.AuthorName,
                toAuthor = newer.AuthorName,
                toCreatedAt = newer.CreatedAt,
                inserted = lines.Count(l => l.Op == "insert"),
                deleted = lines.Count(l => l.Op == "delete"),
                lines,
            });
        }).Doc("DiffLessonPlan", "Paragraph diff between two versions", 200, 400, 403, 404);

        api.MapPost("/lesson-plans/{id:guid}/comments", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, ServerClock time, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var plan = await RequirePlanAsync(store, access, caller, id, ct);
            var key = IdempotencyKey.From(http.Request);
            var req = await BodyAsync<LessonPlanCommentRequest>(http.Request, ct);
            if (req.Version is not { } v)
            {
                throw ResearchApiException.BadRequest("invalid_version", "'version' is required.", "请指定评论针对的版本。");
            }
            var version = await VersionAsync(store, plan.Id, v, ct);
            if (req.Paragraph is { } para && (para < 0 || para >= Paragraphs(version.Body!)))
            {
                throw ResearchApiException.BadRequest("invalid_paragraph", $"Version {v} has {Paragraphs(version.Body!)} paragraphs (0-based).", $"第 {v} 版共有 {Paragraphs(version.Body!)} 个段落（从 0 开始编号）。");
            }
            var comment = new LessonPlanComment(Guid.CreateVersion7(), v, req.Paragraph, caller.PersonId, caller.Name,
                ResearchValidation.Text(req.Body, "body", "评论内容", 4000), time.GetUtcNow());
            if (await store.AddPlanCommentAsync(plan.Id, comment, key, ct) is { } earlier)
            {
                if (earlier.PlanId != plan.Id || earlier.Comment.Version != comment.Version
                    || earlier.Comment.Paragraph != comment.Paragraph || earlier.Comment.Body != comment.Body)
                {
                    throw IdempotencyKey.Reused();
                }
                http.Response.Headers[IdempotencyKey.ReplayedHeader] = "true";
                comment = earlier.Comment;
            }
            return Results.Created($"/api/research/lesson-plans/{plan.Id}/comments/{comment.Id}", comment);
        }).Doc("AddLessonPlanComment", "Comments on a paragraph of a version", 201, 400, 403, 404, 409, 503).Body<LessonPlanCommentRequest>();

        api.MapGet("/lesson-plans/{id:guid}/comments", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
        {
            var plan = await RequirePlanAsync(store, access, Caller(http), id, ct);
            return Results.Ok(await store.PlanCommentsAsync(plan.Id, ct));
        }).Doc("ListLessonPlanComments", "Comments on a lesson plan", 200, 403, 404);

        api.MapPut("/lesson-plans/{id:guid}/links", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, IRecordingCatalog recordings, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var plan = await RequirePlanAsync(store, access, caller, id, ct);
            var req = await BodyAsync<LessonPlanLinksRequest>(http.Request, ct);
            if (req.SessionId is { } sid)
            {
                await access.RequireMemberAsync(caller, sid, ct);
            }
            if (req.RecordingId is { } rec)
            {
                await recordings.RequireViewableAsync(http.User, rec, ct);
            }
            await store.UpdatePlanLinksAsync(plan.Id, req.SessionId, req.RecordingId, ct);
            return Results.Ok(await PlanViewAsync(store, (await store.PlanAsync(plan.Id, ct))!, ct));
        }).Doc("SetLessonPlanLinks", "Links a lesson plan to a session and a recording", 200, 400, 403, 404, 409, 503).Body<LessonPlanLinksRequest>();
    }

    private static async Task<LessonPlanRecord> RequirePlanAsync(ResearchStore store, ResearchAccess access, ResearchCaller caller, Guid id, CancellationToken ct)
    {
        var plan = await store.PlanAsync(id, ct) ?? throw ResearchApiException.NotFound("plan_not_found", "No such lesson plan.", "教案不存在。");
        if (!plan.MemberIds.Contains(caller.PersonId) && plan.CreatedBy != caller.PersonId && !access.Supervises(caller, plan.OrganisationId))
        {
            throw ResearchApiException.Forbidden("not_in_group", "Only the lesson-preparation group and its supervisors may see this plan.", "只有备课组成员及上级教研员、管理员可以查看此教案。");
        }
        return plan;
    }

    private static async Task<LessonPlanVersion> VersionAsync(ResearchStore store, Guid planId, int version, CancellationToken ct) =>
        await store.PlanVersionAsync(planId, version, ct)
            ?? throw ResearchApiException.NotFound("version_not_found", $"The plan has no version {version}.", $"教案没有第 {version} 版。");

    private static async Task<object> PlanViewAsync(ResearchStore store, LessonPlanRecord plan, CancellationToken ct)
    {
        var versions = await store.PlanVersionsAsync(plan.Id, ct);
        var latest = versions.Count == 0 ? null : await store.PlanVersionAsync(plan.Id, versions[^1].Version, ct);
        return new { plan, versions, latest };
    }

    private static int Paragraphs(string body) =>
        body.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Length;
}
