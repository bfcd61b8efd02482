using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Recording;

public sealed class RecordingsApiTests(RecordingServerFactory factory) : IClassFixture<RecordingServerFactory>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task Start_ScheduledLessonByLeadTeacher_RecordsByDefaultAndRoomShowsTheFlag()
    {
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        using var rural = await TestPeople.ClientAsync(factory, "assistant1");

        var started = await JsonAsync(await teacher.PostAsJsonAsync("/api/recordings",
            new { roomId = "room-api-1", scheduled = true, course = new { title = "认识钟表", stage = "小学", grade = "一年级", subject = "数学" } }),
            HttpStatusCode.Created);
        var id = started.GetProperty("id").GetGuid();
        Assert.True(started.GetProperty("isRecording").GetBoolean());

        var flag = await JsonAsync(await rural.GetAsync("/api/rooms/room-api-1/recording"), HttpStatusCode.OK);
        Assert.True(flag.GetProperty("recording").GetBoolean());
        Assert.Equal(id, flag.GetProperty("recordingId").GetGuid());
        await JsonAsync(await rural.PostAsync($"/api/recordings/{id}/pause", null), HttpStatusCode.Forbidden);

        var paused = await JsonAsync(await teacher.PostAsync($"/api/recordings/{id}/pause", null), HttpStatusCode.OK);
        Assert.True(paused.GetProperty("isPaused").GetBoolean());
        Assert.False((await JsonAsync(await rural.GetAsync("/api/rooms/room-api-1/recording"), HttpStatusCode.OK)).GetProperty("recording").GetBoolean());
        await JsonAsync(await teacher.PostAsync($"/api/recordings/{id}/resume", null), HttpStatusCode.OK);
        var stopped = await JsonAsync(await teacher.PostAsync($"/api/recordings/{id}/stop", null), HttpStatusCode.OK);
        // The finalize job may already have run by the time the answer is read.
        Assert.Contains(stopped.GetProperty("status").GetString(), (string[])["finalizing", "failed"]);
        await JsonAsync(await teacher.PostAsync($"/api/recordings/{id}/stop", null), HttpStatusCode.Conflict);

        // No media ever arrived: the finalize job says so on the recording instead of dropping it silently.
        var failed = await Eventually.WaitAsync(
            async () => await JsonAsync(await teacher.GetAsync($"/api/recordings/{id}"), HttpStatusCode.OK),
            j => j.GetProperty("recording").GetProperty("status").GetString() == "failed", TimeSpan.FromSeconds(30), "failed status");
        Assert.Contains("nothing was recorded", failed.GetProperty("recording").GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("class_started", failed.GetProperty("chapters")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task Start_AdHocClassWithoutOptIn_DoesNotRecord()
    {
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");

        var answer = await JsonAsync(await teacher.PostAsJsonAsync("/api/recordings", new { roomId = "room-api-2", scheduled = false }), HttpStatusCode.OK);

        Assert.False(answer.GetProperty("recording").GetBoolean());
    }

    [Fact]
    public async Task Start_NotALeadTeacher_Forbidden()
    {
        using var researcher = await TestPeople.ClientAsync(factory, "researcher");

        var error = await JsonAsync(await researcher.PostAsJsonAsync("/api/recordings", new { roomId = "room-api-3", scheduled = true }), HttpStatusCode.Forbidden);

        Assert.Equal("forbidden", error.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync("/api/recordings", new { roomId = "x" })).StatusCode);
    }
}
