using LiveClassroom.Server.Research;
using LiveClassroom.Server.Research.Contracts;

namespace LiveClassroom.Server.Apis;

/// <summary>Scheduling: templates, sessions, rubric, lessons.</summary>
public static partial class ResearchApi
{
    private static readonly Guid DefaultTemplateId = Guid.Parse("00000000-0000-7000-8000-00000000a001");

    private static void MapSessions(RouteGroupBuilder api)
    {
        api.MapGet("/rubric-templates", async (ResearchStore store, CancellationToken ct) => Results.Ok(await store.TemplatesAsync(ct))).Doc("ListRubricTemplates", "Built-in scoring rubric templates", 200);

        api.MapPost("/sessions", async (HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var req = await BodyAsync<ScheduleSessionRequest>(http.Request, ct);
            var org = req.OrganisationId ?? caller.SupervisingOrganisations.Cast<Guid?>().FirstOrDefault()
                ?? throw ResearchApiException.Forbidden("cannot_schedule", "Only a researcher or an admin may schedule a research session.", "只有教研员或管理员可以发起教研活动。");
            if (!access.Supervises(caller, org))
            {
                throw ResearchApiException.Forbidden("cannot_schedule",
                    "Only a researcher or an admin of this organisation (or one above it) may schedule its research sessions.",
                    "只有本单位或上级单位的教研员、管理员可以发起教研活动。");
            }
            var title = ResearchValidation.Text(req.Title, "title", "活动名称", 200);
            var kind = ResearchValidation.OneOf(req.Kind ?? "mixed", ResearchValidation.SessionKinds, "kind", "活动类型");
            var subject = ResearchValidation.Text(req.Subject, "subject", "学科", 50);
            var stage = ResearchValidation.OneOf(req.Stage, ResearchValidation.Stages, "stage", "学段");
            if (req.ScheduledStart is not { } start)
            {
                throw ResearchApiException.BadRequest("invalid_scheduledStart", "'scheduledStart' is required (ISO 8601 with offset).", "“开始时间”为必填项。");
            }
            var turn = req.SpeakerTurnSeconds ?? 300;
            if (turn is < 10 or > 7200)
            {
                throw ResearchApiException.BadRequest("invalid_speakerTurnSeconds", "'speakerTurnSeconds' must be 10 to 7200.", "每次发言时长须为 10 到 7200 秒。");
            }
            var agenda = ResearchValidation.Agenda(req.Segments);
            var invitations = await InvitationsAsync(store, req.Invitations, ct);
            var hostId = req.HostId ?? caller.PersonId;
            var people = await store.PeopleAsync([hostId], ct);
            if (!people.ContainsKey(hostId))
            {
                throw ResearchApiException.BadRequest("unknown_host", "The host is not an active person.", "主持人账号不存在或已停用。");
            }
            var templateId = req.RubricTemplateId ?? DefaultTemplateId;
            var template = (await store.TemplatesAsync(ct)).FirstOrDefault(t => t.Id == templateId)
                ?? throw ResearchApiException.BadRequest("unknown_template", "No rubric template with that id.", "评价表模板不存在。");
            var session = new ResearchSessionRecord(Guid.CreateVersion7(), org, title, kind, subject, stage,
                ResearchValidation.Text(req.Grade, "grade", "年级", 50, required: false), ResearchValidation.Text(req.Chapter, "chapter", "课题", 200, required: false),
                start, hostId, caller.PersonId, "scheduled", turn, template.Id, template.Rubric, null, null, agenda, invitations);
            await store.CreateSessionAsync(session, ct);
            return Results.Created($"/api/research/sessions/{session.Id}", SessionView(session, access.Standing(caller, session)));
        }).Doc("ScheduleResearchSession", "Schedules a teaching-research session with agenda, rubric and invitations", 201, 400, 403).Body<ScheduleSessionRequest>();

        api.MapGet("/sessions", async (HttpContext http, ResearchStore store, ResearchAccess access, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var ids = await store.SessionIdsAsync(caller.SupervisingOrganisations.ToList(), caller.MemberOrganisations.ToList(), caller.PersonId,
                from?.ToUniversalTime() ?? DateTimeOffset.UnixEpoch, to?.ToUniversalTime() ?? DateTimeOffset.MaxValue, ct);
            var list = new List<object>();
            foreach (var id in ids)
            {
                var s = await store.SessionAsync(id, ct);
                var standing = s is null ? null : access.Standing(caller, s);
                if (s is not null && standing is { IsMember: true })
                {
                    list.Add(SessionView(s, standing));
                }
            }
            return Results.Ok(list);
        }).Doc("ListResearchSessions", "The caller's sessions in a time range", 200, 400);

        api.MapGet("/sessions/{id:guid}", async (Guid id, HttpContext http, ResearchAccess access, CancellationToken ct) =>
        {
            var (session, standing) = await access.RequireMemberAsync(Caller(http), id, ct);
            return Results.Ok(SessionView(session, standing));
        }).Doc("GetResearchSession", "One session as the caller may see it", 200, 403, 404);

        api.MapPut("/sessions/{id:guid}/rubric", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
        {
            var (session, standing) = await access.RequireMemberAsync(Caller(http), id, ct);
            ResearchAccess.RequireOrganiser(standing);
            var req = await BodyAsync<RubricInput>(http.Request, ct);
            var rubric = req.TemplateId is { } tid
                ? (await store.TemplatesAsync(ct)).FirstOrDefault(t => t.Id == tid)?.Rubric
                    ?? throw ResearchApiException.BadRequest("unknown_template", "No rubric template with that id.", "评价表模板不存在。")
                : ResearchValidation.Rubric(req.Name, req.ScaleMin, req.ScaleMax, req.Criteria);
            if (!await store.UpdateRubricAsync(session.Id, rubric, ct))
            {
                throw ResearchApiException.Conflict("rubric_locked", "The rubric can only be changed before the session starts.", "活动开始后不能再修改评价表。");
            }
            return Results.Ok(rubric);
        }).Doc("SetResearchRubric", "Replaces a session's scoring rubric", 200, 400, 403, 404, 409, 503).Body<RubricInput>();

        api.MapPost("/sessions/{id:guid}/cancel", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
        {
            var (session, standing) = await access.RequireMemberAsync(Caller(http), id, ct);
            ResearchAccess.RequireOrganiser(standing);
            if (!await store.CancelAsync(session.Id, ct))
            {
                throw ResearchApiException.Conflict("already_started", "Only a session that has not started can be cancelled.", "只能取消尚未开始的教研活动。");
            }
            return Results.Ok(SessionView((await store.SessionAsync(session.Id, ct))!, standing));
        }).Doc("CancelResearchSession", "Cancels a scheduled session", 200, 400, 403, 404, 409, 503);

        api.MapPut("/sessions/{id:guid}/agenda", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, ResearchLiveHost live, CancellationToken ct) =>
        {
            var (session, standing) = await access.RequireMemberAsync(Caller(http), id, ct);
            ResearchAccess.RequireOrganiser(standing);
            var req = await BodyAsync<AgendaInput>(http.Request, ct);
            var agenda = ResearchValidation.Agenda(req.Segments);
            if (!await store.ReplaceAgendaAsync(session.Id, agenda, ct))
            {
                throw ResearchApiException.Conflict("agenda_locked", "The agenda can only be changed before the session starts.", "活动开始后不能再修改议程。");
            }
            var updated = (await store.SessionAsync(session.Id, ct))!;
            // The grain may already hold the old agenda (someone opened the live view early).
            await live.ReconfigureAsync(updated);
            return Results.Ok(SessionView(updated, standing));
        }).Doc("SetResearchAgenda", "Replaces a session's agenda", 200, 400, 403, 404, 409, 503).Body<AgendaInput>();

        api.MapPost("/sessions/{id:guid}/lessons", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, IRecordingCatalog recordings, CancellationToken ct) =>
        {
            var (session, standing) = await access.RequireMemberAsync(Caller(http), id, ct);
            ResearchAccess.RequireOrganiser(standing);
            RequireNotEnded(session);
            var req = await BodyAsync<AddLessonRequest>(http.Request, ct);
            if (req.RecordingId is null && req.LiveClassId is null)
            {
                throw ResearchApiException.BadRequest("invalid_lesson", "A lesson needs a recordingId or a liveClassId.", "课例需要指定录像或直播课堂。");
            }
            if (req.RecordingId is { } rec)
            {
                await recordings.RequireViewableAsync(http.User, rec, ct);
            }
            if (req.TeacherId is { } teacher && !(await store.PeopleAsync([teacher], ct)).ContainsKey(teacher))
            {
                throw ResearchApiException.BadRequest("unknown_teacher", "The teacher is not an active person.", "授课教师账号不存在或已停用。");
            }
            var lesson = new LessonRecord(Guid.CreateVersion7(), session.Id, ResearchValidation.Text(req.Title, "title", "课例名称", 200),
                ResearchValidation.Text(req.Chapter ?? session.Chapter, "chapter", "课题", 200, required: false),
                ResearchValidation.Text(req.TeacherName, "teacherName", "授课教师", 100, required: false), req.TeacherId, req.RecordingId, req.LiveClassId);
            await store.AddLessonAsync(lesson, ct);
            return Results.Created($"/api/research/sessions/{session.Id}/lessons/{lesson.Id}", lesson);
        }).Doc("AddResearchLesson", "Adds a lesson (optionally with its recording) to a session", 201, 400, 403, 404, 409, 503).Body<AddLessonRequest>();

        api.MapGet("/sessions/{id:guid}/lessons", async (Guid id, HttpContext http, ResearchStore store, ResearchAccess access, CancellationToken ct) =>
        {
            await access.RequireMemberAsync(Caller(http), id, ct);
            return Results.Ok(await store.LessonsAsync(id, ct));
        }).Doc("ListResearchLessons", "Lessons of a session", 200, 403, 404);

        api.MapPut("/sessions/{id:guid}/lessons/{lessonId:guid}/recording", async (Guid id, Guid lessonId, HttpContext http, ResearchStore store, ResearchAccess access, IRecordingCatalog recordings, CancellationToken ct) =>
        {
            var (session, standing) = await access.RequireMemberAsync(Caller(http), id, ct);
            ResearchAccess.RequireOrganiser(standing);
            var lesson = await LessonAsync(store, session, lessonId, ct);
            var req = await BodyAsync<AttachRecordingRequest>(http.Request, ct);
            if (req.RecordingId is not { } rec)
            {
                throw RecordingNotFound();
            }
            await recordings.RequireViewableAsync(http.User, rec, ct);
            await store.SetLessonRecordingAsync(lesson.Id, rec, ct);
            return Results.Ok(lesson with { RecordingId = rec });
        }).Doc("AttachLessonRecording", "Attaches a recording to a lesson", 200, 400, 403, 404, 409, 503).Body<AttachRecordingRequest>();
    }

    private static async Task<IReadOnlyList<InvitationRecord>> InvitationsAsync(ResearchStore store, IReadOnlyList<InvitationInput>? input, CancellationToken ct)
    {
        var list = new List<InvitationRecord>();
        foreach (var i in input ?? [])
        {
            var role = ResearchValidation.OneOf(i.Role ?? "participant", ["participant", "observer"], "invitations.role", "受邀角色");
            if ((i.PersonId is null) == (i.SchoolId is null))
            {
                throw ResearchApiException.BadRequest("invalid_invitation", "Each invitation names either a personId or a schoolId.", "每条邀请须指定一位教师或一所学校。");
            }
            if (i.PersonId is { } p && !(await store.PeopleAsync([p], ct)).ContainsKey(p))
            {
                throw ResearchApiException.BadRequest("unknown_person", $"No active person {p}.", $"用户 {p} 不存在或已停用。");
            }
            if (i.SchoolId is { } s && await store.OrganisationKindAsync(s, ct) != "school")
            {
                throw ResearchApiException.BadRequest("unknown_school", $"{s} is not a school.", $"{s} 不是一所学校。");
            }
            if (list.Any(x => (x.PersonId is not null && x.PersonId == i.PersonId) || (x.SchoolId is not null && x.SchoolId == i.SchoolId)))
            {
                throw ResearchApiException.BadRequest("duplicate_invitation", "The same person or school is invited twice.", "同一教师或学校被重复邀请。");
            }
            list.Add(new InvitationRecord(i.PersonId, i.SchoolId, role));
        }
        return list;
    }

    private static async Task<LessonRecord> LessonAsync(ResearchStore store, ResearchSessionRecord session, Guid lessonId, CancellationToken ct) =>
        (await store.LessonsAsync(session.Id, ct)).FirstOrDefault(l => l.Id == lessonId)
            ?? throw ResearchApiException.NotFound("lesson_not_found", "This session has no such lesson (recording or live class).", "本次活动中没有该课例（录像或直播课）。");

    private static void RequireNotEnded(ResearchSessionRecord session)
    {
        if (session.Status is "ended" or "cancelled")
        {
            throw ResearchApiException.Conflict("session_ended", "The session has ended; its record can be read but no longer changed.", "教研活动已结束，记录只能查看，不能再修改。");
        }
    }

    private static ResearchApiException RecordingNotFound() => ResearchApiException.RecordingNotFound();

    private static object SessionView(ResearchSessionRecord s, SessionStanding standing) => new
    {
        s.Id,
        s.OrganisationId,
        s.Title,
        s.Kind,
        s.Subject,
        s.Stage,
        s.Grade,
        s.Chapter,
        s.ScheduledStart,
        s.HostId,
        s.CreatedBy,
        s.Status,
        s.SpeakerTurnSeconds,
        s.RubricTemplateId,
        s.Rubric,
        s.StartedAt,
        s.EndedAt,
        Segments = s.Segments.Select(g => new { g.Position, g.Kind, g.Title, PlannedMinutes = g.PlannedSeconds / 60, g.StartedAt, g.EndedAt }),
        s.Invitations,
        MyRole = standing.LiveRole,
        CanOrganise = standing.IsOrganiser,
    };
}
