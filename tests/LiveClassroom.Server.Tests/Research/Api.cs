using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>JSON calls for the research API tests.</summary>
public static class Api
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, json);
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient c, string url, object? body = null) => SendAsync(c, HttpMethod.Post, url, body ?? new { });

    public static Task<(HttpStatusCode Status, JsonElement Body)> PutAsync(HttpClient c, string url, object body) => SendAsync(c, HttpMethod.Put, url, body);

    public static Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient c, string url) => SendAsync(c, HttpMethod.Get, url);

    /// <summary>Asserts the status and returns the body, showing the body when the status is not the expected one.</summary>
    public static JsonElement Expect(this (HttpStatusCode Status, JsonElement Body) result, HttpStatusCode expected)
    {
        Assert.True(result.Status == expected, $"expected {(int)expected}, got {(int)result.Status}: {result.Body}");
        return result.Body;
    }

    /// <summary>Asserts a refusal in the shared error shape and returns its code.</summary>
    public static string ExpectError(this (HttpStatusCode Status, JsonElement Body) result, HttpStatusCode expected)
    {
        var body = result.Expect(expected);
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("messageZh").GetString()));
        return body.GetProperty("error").GetString()!;
    }
}
