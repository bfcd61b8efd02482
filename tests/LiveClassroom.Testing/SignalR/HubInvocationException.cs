using System.Text.Json.Nodes;

namespace LiveClassroom.Testing.SignalR;

/// <summary>
/// A hub invocation completed with an error. LiveClassroom hubs put a JSON object
/// (<c>{"error": code, "message", "messageZh", …}</c>) after <c>HubException: </c> in the error text.
/// </summary>
public sealed class HubInvocationException : Exception
{
    private const string Marker = "HubException: ";

    public HubInvocationException()
    {
    }

    public HubInvocationException(string message)
        : base(message)
    {
        var at = message.IndexOf(Marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return;
        }
        try
        {
            Details = JsonNode.Parse(message[(at + Marker.Length)..]) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            Details = null;
        }
    }

    public HubInvocationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>The stable error code, or null when the error is not a LiveClassroom HubException.</summary>
    public string? Code => Details?["error"]?.GetValue<string>();

    public JsonObject? Details { get; }
}
