using System.Net;
using System.Text.Json;

namespace LiveClassroom.Server.Tests;

public static class JsonAssert
{
    /// <summary>Asserts the status and returns the body as JSON (Undefined for an empty body).</summary>
    public static async Task<JsonElement> StatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an error answer of the documented shape with the given code.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode expected, string code)
    {
        var json = await StatusAsync(response, expected);
        Assert.Equal(code, json.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(json.GetProperty("messageZh").GetString()));
        return json;
    }
}
