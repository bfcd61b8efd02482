namespace LiveClassroom.Server.Research;

/// <summary>Configuration section <c>Research</c>.</summary>
public sealed class ResearchLiveOptions
{
    /// <summary>
    /// Link to a moment of a lesson's recording (web route that plays it through the session's ticketed media, for
    /// every member, in the library or not): {sessionId}, {lessonId} and {seconds} are replaced.
    /// </summary>
    public string LessonLinkTemplate { get; set; } = "/research/{sessionId}/lessons/{lessonId}/watch?t={seconds}";
}
