using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Refusals sent to the calling connection only. SignalR carries just a message string to the client, so
/// the message is a JSON object with the same fields as the HTTP error body (docs/HUB.md, "Errors").
/// </summary>
public static class HubErrors
{
    public const string Forbidden = "forbidden";
    public const string Unauthorized = "unauthorized";
    public const string ClassNotFound = "class_not_found";
    public const string NotJoined = "not_joined";
    public const string InvalidInput = "invalid_input";
    public const string InvalidSdp = "invalid_sdp";
    public const string InvalidState = "invalid_state";
    public const string RoomMoved = "room_moved";
    public const string Unavailable = "unavailable";

    public static HubException Create(string code, string message, string messageZh, string? ownerUrl = null)
    {
        var body = new Dictionary<string, string?> { ["error"] = code, ["message"] = message, ["messageZh"] = messageZh };
        if (code == RoomMoved)
        {
            body["ownerUrl"] = ownerUrl;
        }
        return new HubException(JsonSerializer.Serialize(body));
    }

    public static HubException LeadOnly() =>
        Create(Forbidden, "Only the lead teacher can do this.", "只有主讲教师可以执行此操作。");

    public static HubException ClassroomOnly() =>
        Create(Forbidden, "Only a paired rural classroom can do this.", "只有结对的接收端教室可以执行此操作。");

    public static HubException DeviceOnly() =>
        Create(Forbidden, "Only a classroom device can do this.", "只有教室终端可以执行此操作。");

    public static HubException NotAllowed() =>
        Create(Forbidden, "You are not allowed to join this class.", "您无权进入此课堂。");

    public static HubException UnknownClass() =>
        Create(ClassNotFound, "No such live class.", "找不到该直播课堂。");

    public static HubException MustJoin() =>
        Create(NotJoined, "Join the class first.", "请先进入课堂。");

    public static HubException BadInput(string what) =>
        Create(InvalidInput, "Invalid input: " + what + ".", "输入无效：" + what + "。");

    public static HubException BadSdp() =>
        Create(InvalidSdp, "The SDP offer could not be parsed.", "无法解析 SDP 媒体协商信息。");

    public static HubException WrongState(string message, string messageZh) => Create(InvalidState, message, messageZh);

    public static HubException Moved(string? ownerUrl) =>
        Create(RoomMoved, "This class is hosted on another server; reconnect there.", "该课堂由另一台服务器承载，请重新连接。", ownerUrl);

    public static HubException TryAgain() =>
        Create(Unavailable, "The class is not reachable right now; try again shortly.", "课堂暂时无法访问，请稍后重试。");
}
