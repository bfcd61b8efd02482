using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Research;
using LiveClassroom.Server.Research.Contracts;

namespace LiveClassroom.Server.Apis;

/// <summary>Score sheets, timestamped comments, lesson reports and 同课异构 comparison.</summary>
public static partial class ResearchApi
{
    private static void MapScoring(RouteGroupBuilder api)
    {
        api.MapGet("/sessions/{id:guid}/lessons/{lessonId:guid}/scores/me", async (Guid id, Guid lessonId, HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var (session, _) = await access.RequireMemberAsync(caller, id, ct);
            var lesson = await LessonAsync(store, session, lessonId, ct);
            return Results.Ok(SheetView(lesson.Id, caller.PersonId, await store.ScoresAsync(lesson.Id, caller.PersonId, ct)));
        }).Doc("GetMyScoreSheet", "The caller's score sheet of a lesson", 200, 403, 404);

        api.MapPut("/sessions/{id:guid}/lessons/{lessonId:guid}/scores/me", async (Guid id, Guid lessonId, HttpContext http, ResearchStore store, ResearchAccess access, ServerClock time, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var (session, _) = await access.RequireMemberAsync(caller, id, ct);
            var lesson = await LessonAsync(store, session, lessonId, ct);
            RequireLiveForScoring(session);
            var req = await BodyAsync<ScoreSheetRequest>(http.Request, ct);
            ResearchValidation.Scores(session.Rubric, req.Scores);
            await store.UpsertScoresAsync(lesson.Id, caller.PersonId, req.Scores!, time.GetUtcNow(), ct);
            return Results.Ok(SheetView(lesson.Id, caller.PersonId, await store.ScoresAsync(lesson.Id, caller.PersonId, ct)));
        }).Doc("SaveMyScoreSheet", "Saves the caller's score sheet of a lesson", 200, 400, 403, 404, 409, 503).Body<ScoreSheetRequest>();

        api.MapPost("/sessions/{id:guid}/lessons/{lessonId:guid}/comments", async (Guid id, Guid lessonId, HttpContext http, ResearchStore store, ResearchAccess access, ServerClock time, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var (session, _) = await access.RequireMemberAsync(caller, id, ct);
            var lesson = await LessonAsync(store, session, lessonId, ct);
            RequireLiveForScoring(session);
            var idempotencyKey = IdempotencyKey.From(http.Request);
            var req = await BodyAsync<CommentRequest>(http.Request, ct);
            if (req.OffsetSeconds is not (>= 0 and <= 86_400))
            {
                throw ResearchApiException.BadRequest("invalid_offsetSeconds", "'offsetSeconds' (seconds from the lesson's start) must be 0 to 86400.", "“课堂时间点”须为 0 到 86400 秒。");
            }
            if (req.CriterionKey is { } key && session.Rubric.Criteria.All(c => c.Key != key))
            {
                throw ResearchApiException.BadRequest("unknown_criterion", $"'{key}' is not a criterion of this session's rubric.", $"“{key}”不是本次活动评价表中的维度。");
            }
            var comment = new CommentRecord(Guid.CreateVersion7(), lesson.Id, caller.PersonId, caller.Name, req.OffsetSeconds.Value, req.CriterionKey,
                ResearchValidation.Text(req.Body, "body", "评课意见", 4000), time.GetUtcNow());
            if (await store.AddCommentAsync(comment, idempotencyKey, ct) is { } earlier)
            {
                // A retry of one action answers what the first attempt stored; the same key for another comment is a client bug.
                if (earlier.LessonId != comment.LessonId || earlier.Body != comment.Body
                    || earlier.OffsetSeconds != comment.OffsetSeconds || earlier.CriterionKey != comment.CriterionKey)
                {
                    throw IdempotencyKey.Reused();
                }
                http.Response.Headers[IdempotencyKey.ReplayedHeader] = "true";
                comment = earlier;
            }
            return Results.Created($"/api/research/sessions/{id}/lessons/{lesson.Id}/comments/{comment.Id}", comment);
        }).Doc("AddLessonComment", "Adds a timestamped comment on a lesson", 201, 400, 403, 404, 409, 503).Body<CommentRequest>();

        api.MapGet("/sessions/{id:guid}/lessons/{lessonId:guid}/comments", async (Guid id, Guid lessonId, HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
        {
            var (session, _) = await access.RequireMemberAsync(Caller(http), id, ct);
            var lesson = await LessonAsync(store, session, lessonId, ct);
            return Results.Ok(await store.CommentsAsync(lesson.Id, ct));
        }).Doc("ListLessonComments", "Timestamped comments on a lesson", 200, 403, 404);

        api.MapGet("/sessions/{id:guid}/reports/{lessonId:guid}", async (Guid id, Guid lessonId, HttpContext http, ResearchStore store, ResearchAccess access, LessonReportBuilder reports, CancellationToken ct) =>
        {
            var (session, _) = await access.RequireMemberAsync(Caller(http), id, ct);
            return Results.Ok(await reports.BuildAsync(session, await LessonAsync(store, session, lessonId, ct), ct));
        }).Doc("GetLessonReport", "Observation report of a lesson", 200, 403, 404);

        api.MapGet("/sessions/{id:guid}/reports/{lessonId:guid}.html", async (Guid id, Guid lessonId, HttpContext http, ResearchStore store, ResearchAccess access, LessonReportBuilder reports, CancellationToken ct) =>
        {
            var (session, _) = await access.RequireMemberAsync(Caller(http), id, ct);
            var report = await reports.BuildAsync(session, await LessonAsync(store, session, lessonId, ct), ct);
            return Results.Content(ReportHtmlRenderer.Render(report, StageName(session.Stage)), "text/html; charset=utf-8");
        }).Doc("GetLessonReportHtml", "Observation report of a lesson as printable HTML", 200, 403, 404);

        api.MapGet("/sessions/{id:guid}/comparison", async (Guid id, string? chapter, HttpContext http, ResearchStore store, ResearchAccess access, LessonReportBuilder reports, CancellationToken ct) =>
        {
            var (session, _) = await access.RequireMemberAsync(Caller(http), id, ct);
            var lessons = (await store.LessonsAsync(session.Id, ct))
                .Where(l => string.IsNullOrEmpty(chapter) || l.Chapter == chapter).ToList();
            var side = new List<LessonReport>();
            foreach (var l in lessons)
            {
                side.Add(await reports.BuildAsync(session, l, ct));
            }
            return Results.Ok(new { sessionId = session.Id, chapter = chapter ?? session.Chapter, lessons = side });
        }).Doc("CompareLessons", "The session's lessons side by side (同课异构)", 200, 403, 404);
    }

    private static void RequireLiveForScoring(ResearchSessionRecord session)
    {
        RequireNotEnded(session);
        if (session.Status != "live")
        {
            throw ResearchApiException.Conflict("not_started", "Scores and comments open when the session starts.", "活动开始后才能评分和发表评课意见。");
        }
    }

    private static object SheetView(Guid lessonId, Guid observerId, IReadOnlyList<ScoreEntry> entries) => new
    {
        lessonId,
        observerId,
        scores = entries.ToDictionary(e => e.CriterionKey, e => e.Score),
        updatedAt = entries.Count == 0 ? (DateTimeOffset?)null : entries.Max(e => e.UpdatedAt),
    };

    private static string StageName(string stage) => stage switch
    {
        "primary" => "小学",
        "junior" => "初中",
        "senior" => "高中",
        _ => stage,
    };
}
