using System.Net.Http.Json;
using System.Text.Json;
using LiveClassroom.Server.Library;
using LiveClassroom.Server.Recording;
using LiveClassroom.Server.Tests.Recording;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Library;

/// <summary>Steps the library tests share: a finalized recording's draft resource, and the review path to publishing.</summary>
public static class LibraryFlow
{
    public static async Task<Guid> DraftAsync(RecordingServerFactory f, CourseInfo course)
    {
        _ = f.Server;
        var recording = await SyntheticRecording.CreateAsync(f, "teacher", course);
        await f.Services.GetRequiredService<RecordingFinalizer>().FinalizeAsync(recording, _ => Task.CompletedTask, default);
        return (await f.Services.GetRequiredService<LibraryStore>().ByRecordingAsync(recording))!.Id;
    }

    public static async Task<JsonElement> PostAsync(HttpClient client, string url, object? body, int expectedStatus = 200)
    {
        using var response = await client.PostAsJsonAsync(url, body ?? new { });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == expectedStatus, $"POST {url}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task PublishAsync(RecordingServerFactory f, Guid id)
    {
        using var teacher = await TestPeople.ClientAsync(f, "teacher");
        using var school = await TestPeople.ClientAsync(f, "schooladmin");
        using var county = await TestPeople.ClientAsync(f, "admin");
        await PostAsync(teacher, $"/api/library/resources/{id}/submit", null);
        await PostAsync(school, $"/api/library/resources/{id}/review", new { decision = "approve" });
        var published = await PostAsync(county, $"/api/library/resources/{id}/review", new { decision = "approve" });
        Assert.Equal("published", published.GetProperty("status").GetString());
    }

    public static async Task<List<Guid>> SearchAsync(HttpClient client, string query)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/library/resources?" + query));
        return [.. json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];
    }
}
