using System.Net;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>
/// A scheduled session as most API tests need it: the county researcher hosts; the lead school is invited as
/// participants, assistant1 personally as an observer; one recorded lesson is attached.
/// </summary>
public sealed class ResearchSessionScenario
{
    public required HttpClient Researcher { get; init; }
    public required Guid ResearcherId { get; init; }
    public required HttpClient Teacher { get; init; }
    public required Guid TeacherId { get; init; }
    public required HttpClient Observer { get; init; }
    public required Guid ObserverId { get; init; }
    public required HttpClient Outsider { get; init; }
    public required Guid SessionId { get; init; }
    public required Guid LessonId { get; init; }
    public required Guid RecordingId { get; init; }

    public string Url => $"/api/research/sessions/{SessionId}";

    public string LessonUrl => $"{Url}/lessons/{LessonId}";

    public static async Task<ResearchSessionScenario> CreateAsync(ResearchServer server, object[]? segments = null, bool start = true)
    {
        var (researcher, researcherId) = await server.ClientAsync("researcher");
        var (teacher, teacherId) = await server.ClientAsync("teacher");
        var (observer, observerId) = await server.ClientAsync("assistant1");
        var (outsider, _) = await server.ClientAsync("assistant3");
        var leadSchool = await server.OrganisationIdAsync("示范县第一实验小学");
        var session = (await Api.PostAsync(researcher, "/api/research/sessions", new
        {
            title = "三年级数学《分数的初步认识》评课",
            kind = "lesson_review",
            subject = "数学",
            stage = "primary",
            grade = "三年级",
            chapter = "分数的初步认识",
            scheduledStart = server.Clock.GetUtcNow(),
            speakerTurnSeconds = 120,
            segments = segments ?? [new { kind = "observe", title = "观课", plannedMinutes = 40 }, new { kind = "review", title = "评课", plannedMinutes = 30 }],
            invitations = new object[] { new { schoolId = leadSchool, role = "participant" }, new { personId = observerId, role = "observer" } },
        })).Expect(HttpStatusCode.Created);
        var sessionId = session.GetProperty("id").GetGuid();
        var recording = await server.RecordingAsync();
        var lesson = (await Api.PostAsync(researcher, $"/api/research/sessions/{sessionId}/lessons", new
        {
            title = "分数的初步认识（王芳）",
            teacherName = "王芳",
            teacherId,
            recordingId = recording,
        })).Expect(HttpStatusCode.Created);
        if (start)
        {
            (await Api.PostAsync(researcher, $"/api/research/sessions/{sessionId}/start")).Expect(HttpStatusCode.OK);
        }
        return new ResearchSessionScenario
        {
            Researcher = researcher,
            ResearcherId = researcherId,
            Teacher = teacher,
            TeacherId = teacherId,
            Observer = observer,
            ObserverId = observerId,
            Outsider = outsider,
            SessionId = sessionId,
            LessonId = lesson.GetProperty("id").GetGuid(),
            RecordingId = recording,
        };
    }

    public static double Mean(JsonElement report, string key) =>
        report.GetProperty("scores").GetProperty("criteria").EnumerateArray().Single(c => c.GetProperty("key").GetString() == key).GetProperty("mean").GetDouble();
}
