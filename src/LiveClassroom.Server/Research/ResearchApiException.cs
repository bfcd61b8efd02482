namespace LiveClassroom.Server.Research;

/// <summary>Refuses a research API call with a status and a stable code; rendered as <c>{error, message, messageZh}</c>.</summary>
public sealed class ResearchApiException : Exception
{
    public ResearchApiException(int status, string code, string message, string messageZh)
        : base(message)
    {
        Status = status;
        Code = code;
        MessageZh = messageZh;
    }

    public ResearchApiException()
        : this(400, "bad_request", "Bad request.", "请求无效。")
    {
    }

    public ResearchApiException(string message)
        : this(400, "bad_request", message, message)
    {
    }

    public ResearchApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Code = "bad_request";
        MessageZh = message;
    }

    public int Status { get; }

    public string Code { get; }

    public string MessageZh { get; }

    public static ResearchApiException BadRequest(string code, string message, string messageZh) => new(400, code, message, messageZh);

    public static ResearchApiException Forbidden(string code, string message, string messageZh) => new(403, code, message, messageZh);

    public static ResearchApiException NotFound(string code, string message, string messageZh) => new(404, code, message, messageZh);

    public static ResearchApiException Conflict(string code, string message, string messageZh) => new(409, code, message, messageZh);

    public static ResearchApiException RecordingNotFound() =>
        NotFound("recording_not_found",
            "No such recording that you may watch: an unpublished (or taken down) recording is visible only to its author, its school and the admins above it.",
            "没有您可观看的该录像：未发布（或已下架）的录像仅对作者、所在学校及其上级管理员可见。");

    public static ResearchApiException RecordingNotViewable() =>
        Forbidden("recording_not_viewable",
            "You may not watch this recording: it is not published in the library (or was taken down), and you are not its author, of its school or an admin above it.",
            "您无权观看该录像：它未在资源库发布（或已下架），且您不是作者、所在学校人员或其上级管理员。");
}
