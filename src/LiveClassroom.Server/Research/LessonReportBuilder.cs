using System.Globalization;
using Microsoft.Extensions.Options;

namespace LiveClassroom.Server.Research;

/// <summary>Builds lesson reports from the stored sheets and comments.</summary>
public sealed class LessonReportBuilder(ResearchStore store, IRecordingCatalog recordings, TimeProvider time, IOptions<ResearchLiveOptions> options)
{
    public async Task<LessonReport> BuildAsync(ResearchSessionRecord session, LessonRecord lesson, CancellationToken ct)
    {
        var scores = ScoreAggregator.Aggregate(session.Rubric, await store.ScoresAsync(lesson.Id, null, ct));
        var resource = lesson.RecordingId is { } rec ? await recordings.ResourceIdAsync(rec, ct) : null;
        var comments = (await store.CommentsAsync(lesson.Id, ct))
            .Select(c => new ReportComment(c.Id, c.AuthorName, c.OffsetSeconds, Timecode(c.OffsetSeconds), c.CriterionKey, c.Body, c.CreatedAt,
                Link(lesson.RecordingId, resource, c.OffsetSeconds)))
            .ToList();
        return new LessonReport(session.Id, session.Title, session.Subject, session.Stage, session.Status, lesson,
            session.Rubric.Name, session.Rubric.ScaleMin, session.Rubric.ScaleMax, scores, comments, time.GetUtcNow());
    }

    /// <summary>Opens the lesson at a moment: the library resource when there is one, else the recording; null for a live class not yet recorded.</summary>
    public string? Link(Guid? recordingId, Guid? resourceId, int seconds)
    {
        var template = resourceId is not null ? options.Value.ResourceLinkTemplate : recordingId is not null ? options.Value.RecordingLinkTemplate : null;
        return template?
            .Replace("{resourceId}", resourceId?.ToString() ?? "", StringComparison.Ordinal)
            .Replace("{recordingId}", recordingId?.ToString() ?? "", StringComparison.Ordinal)
            .Replace("{seconds}", seconds.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    public static string Timecode(int seconds) =>
        seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:D2}:{seconds % 60:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:D2}:{seconds % 60:D2}");
}
