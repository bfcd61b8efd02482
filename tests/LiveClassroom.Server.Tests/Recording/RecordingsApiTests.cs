using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using Dapper;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Recording;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>
/// POST /api/recordings on real classes: only the class's own lead teacher starts its recording, of a class that exists
/// and is live, once per room; a refused call opens nothing (no row, folder or recorder).
/// </summary>
public sealed class RecordingsApiTests(RecordingServerFactory factory) : IClassFixture<RecordingServerFactory>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An ad-hoc class (not recorded by itself) led by the demo teacher with the first rural classroom; opened unless <paramref name="open"/> is false.</summary>
    private async Task<string> ClassAsync(bool open = true)
    {
        var teacher = await TestPeople.GetAsync(factory.Services, "teacher");
        await using var conn = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var lead = await conn.QuerySingleAsync<Guid>("SELECT id FROM classrooms WHERE school_id = @s", new { s = teacher.OrganisationId });
        var rural = await conn.QueryFirstAsync<Guid>("""
            SELECT c.id FROM classrooms c JOIN organisations o ON o.id = c.school_id WHERE o.is_rural ORDER BY o.name
            """);
        var classId = "rec." + Guid.NewGuid().ToString("N");
        var room = factory.Services.GetRequiredService<IGrainFactory>().GetGrain<IClassroomGrain>(classId);
        await room.SetupAsync(RoomCaller.System, new ClassSetup("认识钟表", new PersonRef(teacher.Id.ToString(), "王芳"),
            new ClassroomRef(lead.ToString(), "主讲教室"), [new ClassroomRef(rural.ToString(), "专递课堂教室")]));
        if (open)
        {
            await room.OpenAsync(new RoomCaller(teacher.Id.ToString(), "王芳", RoomRole.Lead, lead.ToString()));
        }
        return classId;
    }

    /// <summary>A lead teacher of another (rural) school, who leads no class of the demo teacher's.</summary>
    private async Task<HttpClient> OtherSchoolLeadAsync()
    {
        var rural = await TestPeople.GetAsync(factory.Services, "assistant1");
        var token = factory.Services.GetRequiredService<TokenService>().Issue(
        [
            new(LcClaims.Subject, Guid.CreateVersion7().ToString()),
            new(LcClaims.Name, "村小主讲"),
            new(LcClaims.Kind, LcClaims.KindPerson),
            new(LcClaims.Organisation, rural.OrganisationId.ToString()),
            new(LcClaims.Role, $"{Roles.LeadTeacher}@{rural.OrganisationId}"),
        ], TimeSpan.FromHours(1));
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>What a started recording leaves behind: its row, its folder under the recordings root, its recorder (and UDP socket) on this node.</summary>
    private async Task<HashSet<string>> FootprintAsync()
    {
        await using var conn = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var service = factory.Services.GetRequiredService<RecordingService>();
        var rows = await conn.QueryAsync<Guid>("SELECT id FROM recordings");
        var folders = Directory.Exists(service.Root) ? Directory.GetDirectories(service.Root).Select(Path.GetFileName) : [];
        return [.. rows.Select(r => "row:" + r), .. folders.Select(f => "folder:" + f), .. service.ActiveIds.Select(r => "recorder:" + r)];
    }

    /// <summary>Nothing new since <paramref name="before"/> (earlier recordings may have ended meanwhile).</summary>
    private async Task AssertNothingOpenedAsync(HashSet<string> before) =>
        Assert.Empty((await FootprintAsync()).Except(before));

    [Fact]
    public async Task Start_ScheduledLessonByLeadTeacher_RecordsByDefaultAndRoomShowsTheFlag()
    {
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        using var rural = await TestPeople.ClientAsync(factory, "assistant1");
        var room = await ClassAsync();

        var started = await JsonAsync(await teacher.PostAsJsonAsync("/api/recordings",
            new { roomId = room, scheduled = true, course = new { title = "认识钟表", stage = "小学", grade = "一年级", subject = "数学" } }),
            HttpStatusCode.Created);
        var id = started.GetProperty("id").GetGuid();
        Assert.True(started.GetProperty("isRecording").GetBoolean());

        var flag = await JsonAsync(await rural.GetAsync($"/api/rooms/{room}/recording"), HttpStatusCode.OK);
        Assert.True(flag.GetProperty("recording").GetBoolean());
        Assert.Equal(id, flag.GetProperty("recordingId").GetGuid());
        await JsonAsync(await rural.PostAsync($"/api/recordings/{id}/pause", null), HttpStatusCode.Forbidden);

        var paused = await JsonAsync(await teacher.PostAsync($"/api/recordings/{id}/pause", null), HttpStatusCode.OK);
        Assert.True(paused.GetProperty("isPaused").GetBoolean());
        Assert.False((await JsonAsync(await rural.GetAsync($"/api/rooms/{room}/recording"), HttpStatusCode.OK)).GetProperty("recording").GetBoolean());
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
        var room = await ClassAsync();

        var answer = await JsonAsync(await teacher.PostAsJsonAsync("/api/recordings", new { roomId = room, scheduled = false }), HttpStatusCode.OK);

        Assert.False(answer.GetProperty("recording").GetBoolean());
    }

    [Fact]
    public async Task Start_NotALeadTeacher_Forbidden()
    {
        using var researcher = await TestPeople.ClientAsync(factory, "researcher");
        var room = await ClassAsync();

        var error = await JsonAsync(await researcher.PostAsJsonAsync("/api/recordings", new { roomId = room, scheduled = true }), HttpStatusCode.Forbidden);

        Assert.Equal("forbidden", error.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClient().PostAsJsonAsync("/api/recordings", new { roomId = "x" })).StatusCode);
    }

    [Fact]
    public async Task Start_LeadTeacherOfAnotherSchool_ForbiddenAndNothingOpened()
    {
        var room = await ClassAsync();
        using var other = await OtherSchoolLeadAsync();
        var before = await FootprintAsync();

        var error = await JsonAsync(await other.PostAsJsonAsync("/api/recordings", new { roomId = room, record = true }), HttpStatusCode.Forbidden);

        Assert.Equal("forbidden", error.GetProperty("error").GetString());
        await AssertNothingOpenedAsync(before);
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        Assert.False((await JsonAsync(await teacher.GetAsync($"/api/rooms/{room}/recording"), HttpStatusCode.OK)).GetProperty("recording").GetBoolean());
    }

    [Fact]
    public async Task Start_MadeUpRoomId_NotFoundAndNothingOpened()
    {
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        var before = await FootprintAsync();

        var error = await JsonAsync(await teacher.PostAsJsonAsync("/api/recordings", new { roomId = "made-up." + Guid.NewGuid().ToString("N"), record = true }),
            HttpStatusCode.NotFound);

        Assert.Equal("not_found", error.GetProperty("error").GetString());
        await AssertNothingOpenedAsync(before);
    }

    [Fact]
    public async Task Start_ClassNotLiveYet_ConflictAndNothingOpened()
    {
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        var room = await ClassAsync(open: false);
        var before = await FootprintAsync();

        var error = await JsonAsync(await teacher.PostAsJsonAsync("/api/recordings", new { roomId = room, record = true }), HttpStatusCode.Conflict);

        Assert.Equal("class_not_live", error.GetProperty("error").GetString());
        await AssertNothingOpenedAsync(before);
    }

    [Fact]
    public async Task Start_SecondAndConcurrentStartsForOneLiveRoom_OneRecordingReturnedToAll()
    {
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        var room = await ClassAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => teacher.PostAsJsonAsync("/api/recordings", new { roomId = room, record = true })));
        var again = await JsonAsync(await teacher.PostAsJsonAsync("/api/recordings", new { roomId = room, record = true }), HttpStatusCode.OK);

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var ids = new HashSet<Guid>();
        foreach (var a in answers)
        {
            ids.Add((await JsonAsync(a, a.StatusCode)).GetProperty("id").GetGuid());
        }
        Assert.Equal(again.GetProperty("id").GetGuid(), Assert.Single(ids));
        await using var conn = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM recordings WHERE room_id = @room", new { room }));
        await JsonAsync(await teacher.PostAsync($"/api/recordings/{Assert.Single(ids)}/stop", null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task RoomFlag_DevicesOfTheClassToldOthersRefused()
    {
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        var room = await ClassAsync();
        await using var conn = await factory.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var classrooms = (await conn.QueryAsync<(Guid Id, Guid School)>("""
            SELECT c.id, c.school_id FROM classrooms c JOIN organisations o ON o.id = c.school_id WHERE o.is_rural ORDER BY o.name
            """)).ToList();
        var teacherPerson = await TestPeople.GetAsync(factory.Services, "teacher");
        var lead = await conn.QuerySingleAsync<Guid>("SELECT id FROM classrooms WHERE school_id = @s", new { s = teacherPerson.OrganisationId });
        var tokens = factory.Services.GetRequiredService<TokenService>();
        HttpClient Device(Guid school, Guid classroom)
        {
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                Hubs.DemoOrg.DeviceToken(tokens, Guid.CreateVersion7(), school, classroom));
            return client;
        }
        using var paired = Device(classrooms[0].School, classrooms[0].Id);
        using var leadDevice = Device(teacherPerson.OrganisationId, lead);
        using var outsider = Device(classrooms[1].School, classrooms[1].Id);

        var before = await JsonAsync(await paired.GetAsync($"/api/rooms/{room}/recording"), HttpStatusCode.OK);
        Assert.False(before.GetProperty("recording").GetBoolean());
        var started = await JsonAsync(await teacher.PostAsJsonAsync("/api/recordings", new { roomId = room, scheduled = false, record = true }),
            HttpStatusCode.Created);
        var id = started.GetProperty("id").GetGuid();

        foreach (var device in (HttpClient[])[paired, leadDevice])
        {
            var flag = await JsonAsync(await device.GetAsync($"/api/rooms/{room}/recording"), HttpStatusCode.OK);
            Assert.True(flag.GetProperty("recording").GetBoolean());
            Assert.Equal(id, flag.GetProperty("recordingId").GetGuid());
        }
        var refused = await JsonAsync(await outsider.GetAsync($"/api/rooms/{room}/recording"), HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", refused.GetProperty("error").GetString());
        await JsonAsync(await paired.GetAsync($"/api/rooms/rec.{Guid.NewGuid():N}/recording"), HttpStatusCode.NotFound);

        await JsonAsync(await teacher.PostAsync($"/api/recordings/{id}/pause", null), HttpStatusCode.OK);
        var paused = await JsonAsync(await paired.GetAsync($"/api/rooms/{room}/recording"), HttpStatusCode.OK);
        Assert.True(paused.GetProperty("paused").GetBoolean());
        await JsonAsync(await teacher.PostAsync($"/api/recordings/{id}/stop", null), HttpStatusCode.OK);
        Assert.False((await JsonAsync(await paired.GetAsync($"/api/rooms/{room}/recording"), HttpStatusCode.OK)).GetProperty("recording").GetBoolean());
    }

    [Fact]
    public async Task Unfinished_RecordingWithoutResource_ListedForItsSchoolOnly()
    {
        using var teacher = await TestPeople.ClientAsync(factory, "teacher");
        using var other = await TestPeople.ClientAsync(factory, "assistant1");
        var room = await ClassAsync();
        var started = await JsonAsync(await teacher.PostAsJsonAsync("/api/recordings", new { roomId = room, scheduled = false, record = true }),
            HttpStatusCode.Created);
        var id = started.GetProperty("id").GetGuid();

        var mine = await JsonAsync(await teacher.GetAsync("/api/library/recordings/unfinished"), HttpStatusCode.OK);
        var item = mine.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id);
        Assert.Equal("recording", item.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("jobStatus").ValueKind);
        var theirs = await JsonAsync(await other.GetAsync("/api/library/recordings/unfinished"), HttpStatusCode.OK);
        Assert.DoesNotContain(theirs.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == id);

        // Nothing was recorded: the finalize job fails it, and the list says so with the reason and the job's state.
        await JsonAsync(await teacher.PostAsync($"/api/recordings/{id}/stop", null), HttpStatusCode.OK);
        var failed = await Eventually.WaitAsync(
            async () => (await JsonAsync(await teacher.GetAsync("/api/library/recordings/unfinished"), HttpStatusCode.OK))
                .GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == id),
            i => i.GetProperty("status").GetString() == "failed" && i.GetProperty("jobStatus").ValueKind == JsonValueKind.String,
            TimeSpan.FromSeconds(30), "the failed recording with its finalize job");
        Assert.Contains("nothing was recorded", failed.GetProperty("failureReason").GetString(), StringComparison.Ordinal);
        using var anonymous = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/library/recordings/unfinished")).StatusCode);
    }
}
