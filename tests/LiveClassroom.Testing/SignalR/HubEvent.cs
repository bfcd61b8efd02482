using System.Text.Json;
using System.Text.Json.Nodes;

namespace LiveClassroom.Testing.SignalR;

/// <summary>One server-to-client invocation: the client method name and its arguments.</summary>
public sealed record HubEvent(string Target, JsonArray Arguments)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public JsonNode? Argument(int index = 0) => Arguments.Count > index ? Arguments[index] : null;

    public T As<T>(int index = 0) => Argument(index).Deserialize<T>(Json)
        ?? throw new InvalidOperationException($"{Target} argument {index} is null");

    /// <summary>For room envelopes: the <c>type</c> field, else the target.</summary>
    public string Describe() => Argument()?["type"] is { } t ? $"{Target}:{t}" : Target;
}
