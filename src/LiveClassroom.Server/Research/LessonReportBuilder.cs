using LiveClassroom.Server.Hosting;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace LiveClassroom.Server.Research;

/// <summary>Builds lesson reports from the stored sheets and comments.</summary>
public sealed class LessonReportBuilder(ResearchStore store, IRecordingCatalog recordings, ServerClock time, IOptions<ResearchLiveOptions> options)
{
    public async Task<LessonReport> BuildAsync(ResearchSessionRecord session, LessonRecord lesson, CancellationToken ct)
    {
        var scores = ScoreAggregator.Aggregate(session.Rubric, await store.ScoresAsync(lesson.Id, null, ct));
        var resource = lesson.RecordingId is { } rec ? await recordings.ResourceIdAsync(rec, ct) : null;
        var comments = (await store.CommentsAsync(lesson.Id, ct))
            .Select(c => new ReportComment(c.Id, c.AuthorName, c.OffsetSeconds, Timecode(c.OffsetSeconds), c.CriterionKey, c.Body, c.CreatedAt,
                Link(session.Id, lesson, c.OffsetSeconds)))
            .ToList();
        return new LessonReport(session.Id, session.Title, session.Subject, session.Stage, session.Status, lesson,
            session.Rubric.Name, session.Rubric.ScaleMin, session.Rubric.ScaleMax, scores, comments, time.GetUtcNow(), resource);
    }

    /// <summary>Opens the lesson's recording at a moment (the session's watch page); null for a live class not yet recorded.</summary>
    public string? Link(Guid sessionId, LessonRecord lesson, int seconds) =>
        lesson.RecordingId is null
            ? null
            : options.Value.LessonLinkTemplate
                .Replace("{sessionId}", sessionId.ToString(), StringComparison.Ordinal)
                .Replace("{lessonId}", lesson.Id.ToString(), StringComparison.Ordinal)
                .Replace("{seconds}", seconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static string Timecode(int seconds) =>
        seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:D2}:{seconds % 60:D2}");
}
