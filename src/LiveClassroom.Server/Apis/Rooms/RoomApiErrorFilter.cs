using LiveClassroom.Server.Grains;
using LiveClassroom.Grains;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>
/// Maps grain refusals to HTTP errors for the room APIs: rule violations to 400/403/404/409, a room that cannot be
/// reached (its node just died and the cluster has not moved it yet, past <see cref="FailoverRetry"/>) to 503.
/// </summary>
public sealed partial class RoomApiErrorFilter(ILogger<RoomApiErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (RoomRuleException ex)
        {
            return ex.Code switch
            {
                RoomErrorCode.Forbidden => RoomApiErrors.Error(403, "forbidden", ex.Message, "您无权执行此操作。"),
                RoomErrorCode.NotFound => RoomApiErrors.Error(404, "not_found", ex.Message, "找不到该资源。"),
                RoomErrorCode.InvalidState => RoomApiErrors.Error(409, "invalid_state", ex.Message, "当前状态不允许此操作。"),
                RoomErrorCode.NotJoined => RoomApiErrors.Error(409, "invalid_state", ex.Message, "当前状态不允许此操作。"),
                _ => RoomApiErrors.Error(400, "validation", ex.Message, "输入无效。"),
            };
        }
        catch (Exception ex) when (FailoverRetry.IsTransient(ex, context.HttpContext.RequestAborted))
        {
            LogUnavailable(logger, context.HttpContext.Request.Path, ex);
            return RoomApiErrors.Error(503, "unavailable", "The room is not reachable right now; try again shortly.", "暂时无法访问，请稍后重试。");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room API {Path} could not reach its room")]
    private static partial void LogUnavailable(ILogger logger, string path, Exception ex);
}
