using System.Text.Json;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Apis;

/// <summary>Teaching research (网络教研) under <c>/api/research</c>; documented in docs/API-RESEARCH.md.</summary>
public static partial class ResearchApi
{
    public static IEndpointRouteBuilder MapResearchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/research").RequireAuthorization();
        api.AddEndpointFilter(async (ctx, next) =>
        {
            try
            {
                return await next(ctx);
            }
            catch (ResearchApiException ex)
            {
                return Error(ex.Status, ex.Code, ex.Message, ex.MessageZh);
            }
            catch (ResearchRuleException ex)
            {
                var status = ex.Kind switch
                {
                    ResearchRuleKind.Forbidden => StatusCodes.Status403Forbidden,
                    ResearchRuleKind.Invalid => StatusCodes.Status400BadRequest,
                    _ => StatusCodes.Status409Conflict,
                };
                return Error(status, ex.Code, ex.Message, ex.MessageZh);
            }
            catch (RoomRuleException ex)
            {
                return RoomRefusal(ex);
            }
            catch (Exception ex) when (FailoverRetry.IsTransient(ex, ctx.HttpContext.RequestAborted))
            {
                return Error(StatusCodes.Status503ServiceUnavailable, "unavailable", "The live session is briefly unavailable; retry.", "教研活动暂时不可用，请稍后重试。");
            }
        });
        MapSessions(api);
        MapLive(api);
        MapScoring(api);
        MapLessonPlans(api);
        MapParticipation(api);
        MapMedia(api);
        MapTicketedMedia(app);
        return app;
    }

    private static IResult RoomRefusal(RoomRuleException ex) => ex.Code switch
    {
        RoomErrorCode.Forbidden => Error(StatusCodes.Status403Forbidden, "forbidden", ex.Message, "无权执行此操作。"),
        RoomErrorCode.NotFound => Error(StatusCodes.Status404NotFound, "session_not_found", ex.Message, "教研活动不存在。"),
        RoomErrorCode.InvalidInput => Error(StatusCodes.Status400BadRequest, "invalid_input", ex.Message, "输入无效。"),
        _ => Error(StatusCodes.Status409Conflict, "invalid_state", ex.Message, "当前状态下不能执行此操作。"),
    };

    internal static IResult Error(int status, string code, string message, string messageZh) =>
        Results.Json(new { error = code, message, messageZh }, statusCode: status);

    /// <summary>Reads a JSON body so a malformed one gets the same clear error shape as every other refusal.</summary>
    internal static async Task<T> BodyAsync<T>(HttpRequest request, CancellationToken ct)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(request.Body, UtcDateTimeOffsetConverter.WebOptions, ct)
                ?? throw ResearchApiException.BadRequest("missing_body", "A JSON body is required.", "请求需要 JSON 内容。");
        }
        catch (JsonException ex)
        {
            throw ResearchApiException.BadRequest("bad_json", $"The body is not valid JSON for this call: {ex.Message}", "请求内容不是有效的 JSON，或字段类型不正确。");
        }
    }

    internal static ResearchCaller Caller(HttpContext http) => ResearchCaller.From(http.User);
}
