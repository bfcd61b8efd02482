using LiveClassroom.Server.Recording;

namespace LiveClassroom.Server.Library;

/// <summary>A resource as the APIs return it, with the URLs the player uses.</summary>
public sealed record ResourceDto(
    Guid Id,
    Guid RecordingId,
    string Status,
    string Title,
    string? Stage,
    string? Grade,
    string? Subject,
    string? TextbookEdition,
    string? Chapter,
    string? TeacherName,
    string? SchoolName,
    Guid SchoolId,
    Guid? AuthorId,
    double DurationSeconds,
    string? LastReason,
    DateTime? SubmittedAt,
    DateTime? PublishedAt,
    DateTime CreatedAt,
    ResourceUrls Urls)
{
    public static ResourceDto From(ResourceRow r, bool showReason) => new(
        r.Id, r.RecordingId, r.Status, r.Title, r.Stage, r.Grade, r.Subject, r.TextbookEdition, r.Chapter, r.TeacherName,
        r.SchoolName, r.SchoolId, r.AuthorId, r.DurationSeconds, showReason ? r.LastReason : null, r.SubmittedAt, r.PublishedAt,
        r.CreatedAt, ResourceUrls.For(r.Id));
}

public sealed record ResourceUrls(string Hls, string Poster, string Mp4, string Chapters, string ChaptersEn)
{
    public static ResourceUrls For(Guid id)
    {
        var b = $"/api/library/resources/{id}";
        return new($"{b}/hls/{RecordingPaths.VodPlaylist}", $"{b}/poster.jpg", $"{b}/video.mp4",
            $"{b}/hls/{RecordingPaths.ChaptersVtt}", $"{b}/hls/{RecordingPaths.ChaptersEnVtt}");
    }
}
