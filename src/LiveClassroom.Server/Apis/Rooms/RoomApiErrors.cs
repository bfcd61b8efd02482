using System.Text.Json;
using System.Text.Json.Serialization;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>The HTTP error bodies of the room APIs (<c>{error, message, messageZh}</c>, docs/API-ROOMS.md).</summary>
public static class RoomApiErrors
{
    /// <summary>camelCase and enums as names, like the hub; used for every room API body in and out.</summary>
    public static JsonSerializerOptions Json { get; } = CreateJson();

    public static IResult Error(int status, string code, string message, string messageZh, string? ownerUrl = null)
    {
        var body = new Dictionary<string, object?> { ["error"] = code, ["message"] = message, ["messageZh"] = messageZh };
        if (ownerUrl is not null || code == "room_moved")
        {
            body["ownerUrl"] = ownerUrl;
        }
        return Results.Json(body, Json, statusCode: status);
    }

    public static IResult BadRequest() =>
        Error(400, "bad_request", "The body is not JSON of the expected shape.", "请求内容格式不正确。");

    public static IResult Forbidden() =>
        Error(403, "forbidden", "Your roles do not allow this here.", "您无权执行此操作。");

    public static IResult NotFound(string what) =>
        Error(404, "not_found", $"No such {what}.", "找不到该资源。");

    /// <summary>409: the lead classroom already has a pairing of this subject in an overlapping term.</summary>
    public static IResult DuplicatePairing(string existing) =>
        Error(409, "duplicate_pairing",
            $"This lead classroom already has a pairing of this subject in an overlapping term: \"{existing}\".",
            $"该主讲教室在重叠的学期内已有同一学科的结对“{existing}”，未重复创建。");

    public static IResult Unauthorized() =>
        Error(401, "unauthorized", "Sign in first.", "请先登录。");

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        o.Converters.Add(new JsonStringEnumConverter());
        return UtcDateTimeOffsetConverter.AddTo(o);
    }
}
