using System.Globalization;
using Microsoft.Extensions.Options;

namespace LiveClassroom.Server.Research;

/// <summary>Builds lesson reports from the stored sheets and comments.</summary>
public sealed class LessonReportBuilder(ResearchStore store, TimeProvider time, IOptions<ResearchLiveOptions> options)
{
    public async Task<LessonReport> BuildAsync(ResearchSessionRecord session, LessonRecord lesson, CancellationToken ct)
    {
        var scores = ScoreAggregator.Aggregate(session.Rubric, await store.ScoresAsync(lesson.Id, null, ct));
        var comments = (await store.CommentsAsync(lesson.Id, ct))
            .Select(c => new ReportComment(c.Id, c.AuthorName, c.OffsetSeconds, Timecode(c.OffsetSeconds), c.CriterionKey, c.Body, c.CreatedAt,
                lesson.RecordingId is { } rec ? Link(rec, c.OffsetSeconds) : null))
            .ToList();
        return new LessonReport(session.Id, session.Title, session.Subject, session.Stage, session.Status, lesson,
            session.Rubric.Name, session.Rubric.ScaleMin, session.Rubric.ScaleMax, scores, comments, time.GetUtcNow());
    }

    public string Link(Guid recordingId, int seconds) =>
        options.Value.RecordingLinkTemplate
            .Replace("{recordingId}", recordingId.ToString(), StringComparison.Ordinal)
            .Replace("{seconds}", seconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    public static string Timecode(int seconds) =>
        seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:D2}:{seconds % 60:D2}");
}
