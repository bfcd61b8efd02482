using LiveClassroom.Grains;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>The research hub's own refusals (docs/HUB-RESEARCH.md, "Errors"), in the shape of <see cref="HubErrors"/>.</summary>
public static class ResearchHubErrors
{
    public const string MustJoin = "must_join";
    public const string BadInput = "bad_input";
    public const string BadSdp = "bad_sdp";

    public static HubException NotJoined() =>
        HubErrors.Create(MustJoin, "Join the session first.", "请先加入教研活动。");

    public static HubException Bad(string what) =>
        HubErrors.Create(BadInput, "Invalid input: " + what + ".", "输入无效：" + what + "。");

    public static HubException Sdp() =>
        HubErrors.Create(BadSdp, "The SDP offer could not be parsed.", "无法解析 SDP 媒体协商信息。");

    /// <summary>The session grain's older (non-live) methods refuse with room codes; name them as the research API does.</summary>
    public static HubException FromRoomRule(RoomRuleException ex) => ex.Code switch
    {
        RoomErrorCode.Forbidden => HubErrors.Create(HubErrors.Forbidden, ex.Message, "无权执行此操作。"),
        RoomErrorCode.NotFound => HubErrors.Create("session_not_found", ex.Message, "教研活动不存在。"),
        RoomErrorCode.InvalidInput => HubErrors.Create(BadInput, ex.Message, "输入无效。"),
        RoomErrorCode.NotJoined => NotJoined(),
        _ => HubErrors.Create(HubErrors.InvalidState, ex.Message, "当前状态下不能执行此操作。"),
    };
}
