namespace LiveClassroom.Server.Recording;

/// <summary>A <c>recording_chapters</c> row.</summary>
public sealed class ChapterRow
{
    public double OffsetSeconds { get; init; }
    public string Type { get; init; } = "";
    public string LabelZh { get; init; } = "";
    public string LabelEn { get; init; } = "";
}
