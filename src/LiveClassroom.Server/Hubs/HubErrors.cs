using System.Text.Json;
using LiveClassroom.Grains.Ports;
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
    public const string Unavailable = "unavailable";
    public const string SdpUnsupported = "sdp_unsupported";
    public const string FingerprintChanged = "media_fingerprint_changed";
    public const string MediaUnavailable = "media_unavailable";

    public static HubException Create(string code, string message, string messageZh)
    {
        var body = new Dictionary<string, string?> { ["error"] = code, ["message"] = message, ["messageZh"] = messageZh };
        return new HubException(JsonSerializer.Serialize(body));
    }

    public static HubException LeadOnly() =>
        Create(Forbidden, "Only the lead teacher can do this.", "只有主讲教师可以执行此操作。");

    public static HubException ClassroomOnly() =>
        Create(Forbidden, "Only a paired rural classroom can do this.", "只有结对的接收端教室可以执行此操作。");

    public static HubException DeviceOnly() =>
        Create(Forbidden, "Only a classroom device can do this.", "只有教室终端可以执行此操作。");

    public static HubException AdminOnly() =>
        Create(Forbidden, "Only an administrator responsible for this class can watch its network.", "只有负责此课堂的管理员可以查看其网络状况。");

    public static HubException LiveClassesAdminOnly() =>
        Create(Forbidden, "Only an administrator can watch the live classes.", "只有管理员可以查看正在上课的课堂。");

    public static HubException NotWatching() =>
        Create(NotJoined, "This connection is not watching that class's network.", "此连接未在查看该课堂的网络状况。");

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

    /// <summary>
    /// The media plane's refusal with its real reason; <paramref name="malformedCode"/> is the hub's own code for an
    /// offer that is not usable SDP (<c>invalid_sdp</c> here, <c>bad_sdp</c> on the research hub).
    /// </summary>
    public static HubException MediaRefused(MediaRefusedException ex, string malformedCode) => ex.Reason switch
    {
        MediaRefusal.Unsupported => Create(SdpUnsupported,
            $"The browser's media offer asks for something this server does not support ({ex.Message}).",
            $"浏览器的媒体协商请求包含本服务器不支持的参数（{ex.Message}）。"),
        MediaRefusal.FingerprintChanged => Create(FingerprintChanged,
            "A renegotiation on the same media connection may not change its DTLS certificate; connect again with a new connection.",
            "同一媒体连接在重新协商时不能更换 DTLS 证书，请重新建立媒体连接。"),
        MediaRefusal.Unavailable => Create(MediaUnavailable,
            "The media server cannot take the connection right now; try again shortly.",
            "媒体服务器暂时无法接入，请稍后重试。"),
        _ => Create(malformedCode, $"The SDP offer is malformed ({ex.Message}).", $"SDP 媒体协商信息格式有误（{ex.Message}）。"),
    };

    public static HubException WrongState(string message, string messageZh) => Create(InvalidState, message, messageZh);

    public static HubException TryAgain() =>
        Create(Unavailable, "The class is not reachable right now; try again shortly.", "课堂暂时无法访问，请稍后重试。");
}
