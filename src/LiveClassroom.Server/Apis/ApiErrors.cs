using System.Globalization;
using LiveClassroom.Server.Apis.Contracts;

namespace LiveClassroom.Server.Apis;

/// <summary>The error answers of the API (docs/API.md, "Errors").</summary>
public static class ApiErrors
{
    public static IResult Validation(IReadOnlyDictionary<string, string> fields) =>
        Results.Json(new ErrorBody("validation", "Some fields are missing or invalid.", "部分字段缺失或无效。") { Fields = fields }, statusCode: 400);

    public static IResult Validation(string field, string code) =>
        Validation(new Dictionary<string, string> { [field] = code });

    public static IResult BadRequest() =>
        Results.Json(new ErrorBody("bad_request", "The request body is not valid JSON of the expected shape.", "请求内容不是有效的 JSON。"), statusCode: 400);

    public static IResult Forbidden() =>
        Results.Json(new ErrorBody("forbidden", "You are not allowed to do this here.", "您无权执行此操作。"), statusCode: 403);

    public static IResult NotFound() =>
        Results.Json(new ErrorBody("not_found", "Not found.", "未找到。"), statusCode: 404);

    public static IResult InvalidCredentials() =>
        Results.Json(new ErrorBody("invalid_credentials", "Wrong username or password.", "用户名或密码错误。"), statusCode: 401);

    public static IResult AccountInactive() =>
        Results.Json(new ErrorBody("account_inactive", "This account has been deactivated. Please contact your administrator.", "此账号已停用，请联系管理员。"), statusCode: 403);

    public static IResult PairingCodeInvalid() =>
        Results.Json(new ErrorBody("pairing_code_invalid", "The pairing code is unknown, expired or already used.", "配对码无效、已过期或已被使用。"), statusCode: 404);

    public static IResult TooManyAttempts(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Json(new ErrorBody("too_many_attempts",
            $"Too many attempts. Please try again in {seconds} seconds.", $"尝试次数过多，请 {seconds} 秒后再试。") { RetryAfterSeconds = seconds }, statusCode: 429);
    }

    public static ErrorBody UnauthorizedBody { get; } =
        new("unauthorized", "Please sign in again: the token is missing, invalid, expired or revoked.", "请重新登录：令牌缺失、无效、已过期或已被吊销。");

    public static ErrorBody ForbiddenBody { get; } =
        new("forbidden", "You are not allowed to do this here.", "您无权执行此操作。");
}
