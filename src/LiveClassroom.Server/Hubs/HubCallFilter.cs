using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Research;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Every hub's calls (classroom and research) pass here. Turns what the grains and access checks throw into the
/// hub's stable error codes, for the calling connection only: a refused call never closes the connection or
/// disturbs the room. Anything unexpected is logged (without arguments, which may hold chat text or SDP) and
/// reported as <c>unavailable</c>. While the room's node fails over, a call is retried briefly (<see cref="FailoverRetry"/>)
/// before it is reported as <c>unavailable</c>.
/// A token is checked only when a connection opens, so every call also checks that its principal was not revoked
/// since (a revoked projector, a deactivated person): every call of such a connection gets <c>unauthorized</c>.
/// </summary>
public sealed partial class HubCallFilter(ILogger<HubCallFilter> logger, AccessPolicy access) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.Context.User is not { } user || access.IsRevoked(user))
        {
            throw HubErrors.Create(HubErrors.Unauthorized, "Your session has ended; sign in (or pair the classroom) again.", "登录已失效，请重新登录（或重新配对教室终端）。");
        }
        try
        {
            return await FailoverRetry.RunAsync(() => next(invocationContext), invocationContext.Context.ConnectionAborted);
        }
        catch (HubException)
        {
            throw;
        }
        catch (ResearchRuleException ex)
        {
            // Research refusals already carry the research API's stable code and both messages.
            throw HubErrors.Create(ex.Code, ex.Message, ex.MessageZh);
        }
        catch (ResearchApiException ex)
        {
            throw HubErrors.Create(ex.Code, ex.Message, ex.MessageZh);
        }
        catch (MediaRefusedException ex)
        {
            throw HubErrors.MediaRefused(ex, invocationContext.Hub is ResearchHub ? ResearchHubErrors.BadSdp : HubErrors.InvalidSdp);
        }
        catch (RoomRuleException ex) when (invocationContext.Hub is ResearchHub)
        {
            throw ResearchHubErrors.FromRoomRule(ex);
        }
        catch (RoomRuleException ex)
        {
            throw ex.Code switch
            {
                RoomErrorCode.Forbidden => HubErrors.Create(HubErrors.Forbidden, ex.Message, "您的角色不允许此操作。"),
                RoomErrorCode.InvalidInput => HubErrors.Create(HubErrors.InvalidInput, ex.Message, "输入无效。"),
                RoomErrorCode.InvalidState => HubErrors.Create(HubErrors.InvalidState, ex.Message, "课堂当前状态不允许此操作。"),
                RoomErrorCode.NotFound => HubErrors.Create(HubErrors.ClassNotFound, ex.Message, "找不到该课堂或消息。"),
                RoomErrorCode.NotJoined => HubErrors.MustJoin(),
                _ => HubErrors.Create(HubErrors.InvalidInput, ex.Message, "输入无效。"),
            };
        }
        catch (Exception ex) when (FailoverRetry.IsTransient(ex, invocationContext.Context.ConnectionAborted))
        {
            LogUnavailable(logger, invocationContext.HubMethodName, ex);
            throw HubErrors.TryAgain();
        }
        catch (FormatException)
        {
            // The media plane's parser refused the offer (the only free-form text that reaches a parser).
            throw HubErrors.BadSdp();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(logger, invocationContext.HubMethodName, ex);
            throw HubErrors.TryAgain();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub call {Method} could not reach its room")]
    private static partial void LogUnavailable(ILogger logger, string method, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "Hub call {Method} failed")]
    private static partial void LogFailed(ILogger logger, string method, Exception ex);
}
