namespace LiveClassroom.Server.Apis;

/// <summary>Errors of the recordings, library and jobs APIs, in the common body <c>{ error, message, messageZh }</c>.</summary>
public static class LibraryApiErrors
{
    public static IResult Of(int status, string error, string message, string messageZh) =>
        Results.Json(new { error, message, messageZh }, statusCode: status);

    public static IResult Unauthenticated() =>
        Of(401, "unauthenticated", "Sign in as a person to use this API.", "请以个人账号登录后使用。");

    public static IResult Forbidden(string message, string messageZh) => Of(403, "forbidden", message, messageZh);

    public static IResult NotFound(string what, string whatZh) =>
        Of(404, "not_found", $"{what} was not found.", $"未找到{whatZh}。");

    public static IResult Invalid(string message, string messageZh) => Of(400, "invalid_request", message, messageZh);

    public static IResult Conflict(string error, string message, string messageZh) => Of(409, error, message, messageZh);
}
