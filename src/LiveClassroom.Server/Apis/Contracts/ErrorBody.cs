using System.Text.Json.Serialization;

namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The one shape of every error answer: a stable code plus English and Chinese text for people.</summary>
public sealed record ErrorBody(string Error, string Message, string MessageZh)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? Fields { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? RetryAfterSeconds { get; init; }
}
