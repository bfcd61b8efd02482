using System.Net;
using LiveClassroom.Server.Recording;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>
/// Issue 12 item 1: a research session, its shared playback or a lesson plan never shows a recording its viewer could
/// not open in the library, and a media ticket stops working once that changes. Real recordings/resources rows of
/// two schools, the real catalogue.
/// </summary>
public sealed class RecordingAccessTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    private async Task<(HttpClient Client, string Url)> RuralAdminSessionAsync()
    {
        var (ruralAdmin, _) = await server.ClientAsync(await server.PersonAsync("school_admin", ResearchServer.RuralSchool));
        var session = (await Api.PostAsync(ruralAdmin, "/api/research/sessions", new
        {
            title = "村小评课",
            subject = "数学",
            stage = "primary",
            scheduledStart = server.Clock.GetUtcNow(),
            segments = new[] { new { kind = "review", title = "评课", plannedMinutes = 30 } },
        })).Expect(HttpStatusCode.Created);
        return (ruralAdmin, $"/api/research/sessions/{session.GetProperty("id").GetGuid()}");
    }

    /// <summary>A county session with both schools invited and the lead school's recording attached by the county admin.</summary>
    private async Task<(string Url, Guid RecordingId)> CountySessionAsync(string? resourceStatus)
    {
        var (countyAdmin, _) = await server.ClientAsync("admin");
        var session = (await Api.PostAsync(countyAdmin, "/api/research/sessions", new
        {
            title = "全县评课",
            subject = "数学",
            stage = "primary",
            scheduledStart = server.Clock.GetUtcNow(),
            segments = new[] { new { kind = "review", title = "评课", plannedMinutes = 30 } },
            invitations = new object[]
            {
                new { schoolId = await server.OrganisationIdAsync(ResearchServer.RuralSchool), role = "participant" },
                new { schoolId = await server.OrganisationIdAsync(ResearchServer.LeadSchool), role = "participant" },
            },
        })).Expect(HttpStatusCode.Created);
        var url = $"/api/research/sessions/{session.GetProperty("id").GetGuid()}";
        var recording = await server.RecordingAsync(resourceStatus: resourceStatus);
        (await Api.PostAsync(countyAdmin, $"{url}/lessons", new { title = "分数的初步认识", recordingId = recording })).Expect(HttpStatusCode.Created);
        var dir = RecordingPaths.Directory(server.App.Services.GetRequiredService<RecordingService>().Root, recording);
        Directory.CreateDirectory(dir);
        await File.WriteAllBytesAsync(Path.Combine(dir, RecordingPaths.Mp4), new byte[1024]);
        return (url, recording);
    }

    /// <summary>The MP4 URL a rural assistant (invited through their school) is given, checked to play now.</summary>
    private async Task<string> WorkingTicketAsync(string url, Guid recording)
    {
        var (assistant, _) = await server.ClientAsync("assistant1");
        var mp4 = (await Api.GetAsync(assistant, $"{url}/recordings/{recording}/media")).Expect(HttpStatusCode.OK).GetProperty("mp4Url").GetString()!;
        using var anonymous = server.App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(mp4)).StatusCode);
        return mp4;
    }

    [Theory]
    [InlineData("draft")]
    [InlineData("pending_county")]
    [InlineData("taken_down")]
    [InlineData(null)]
    public async Task AttachLesson_RuralAdminWithUrbanRecordingNotPublished_NotFoundAndNothingStored(string? resourceStatus)
    {
        var (ruralAdmin, url) = await RuralAdminSessionAsync();
        var urban = await server.RecordingAsync(resourceStatus: resourceStatus);

        var code = (await Api.PostAsync(ruralAdmin, $"{url}/lessons", new { title = "偷看", recordingId = urban })).ExpectError(HttpStatusCode.NotFound);

        Assert.Equal("recording_not_found", code);
        Assert.Equal(0, (await Api.GetAsync(ruralAdmin, $"{url}/lessons")).Expect(HttpStatusCode.OK).GetArrayLength());
    }

    [Fact]
    public async Task AttachLesson_RuralAdminWithUrbanPublishedRecording_Created()
    {
        var (ruralAdmin, url) = await RuralAdminSessionAsync();
        var published = await server.RecordingAsync(resourceStatus: "published");

        (await Api.PostAsync(ruralAdmin, $"{url}/lessons", new { title = "示范课", recordingId = published })).Expect(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AttachToLessonPlaybackAndPlan_RuralAdminWithUrbanDraft_NotFound()
    {
        var (ruralAdmin, url) = await RuralAdminSessionAsync();
        var urban = await server.RecordingAsync(resourceStatus: "draft");
        var lesson = (await Api.PostAsync(ruralAdmin, $"{url}/lessons", new { title = "直播课例", liveClassId = Guid.NewGuid() }))
            .Expect(HttpStatusCode.Created).GetProperty("id").GetGuid();
        (await Api.PostAsync(ruralAdmin, $"{url}/start")).Expect(HttpStatusCode.OK);
        var plan = (await Api.PostAsync(ruralAdmin, "/api/research/lesson-plans", new { subject = "数学", stage = "primary", chapter = "分数" }))
            .Expect(HttpStatusCode.Created).GetProperty("plan").GetProperty("id").GetGuid();

        var toLesson = await Api.PutAsync(ruralAdmin, $"{url}/lessons/{lesson}/recording", new { recordingId = urban });
        var toPlayback = await Api.PutAsync(ruralAdmin, $"{url}/playback", new { recordingId = urban, playing = true, positionSeconds = 0 });
        var toPlan = await Api.PutAsync(ruralAdmin, $"/api/research/lesson-plans/{plan}/links", new { recordingId = urban });

        Assert.Equal("recording_not_found", toLesson.ExpectError(HttpStatusCode.NotFound));
        Assert.Equal("recording_not_found", toPlayback.ExpectError(HttpStatusCode.NotFound));
        Assert.Equal("recording_not_found", toPlan.ExpectError(HttpStatusCode.NotFound));
        var live = (await Api.GetAsync(ruralAdmin, $"{url}/live")).Expect(HttpStatusCode.OK);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, live.GetProperty("playback").ValueKind);
    }

    [Fact]
    public async Task MediaTicket_RuralAdminMemberOfSessionWithUrbanDraft_ForbiddenWhileTheSchoolsOwnGetOne()
    {
        var (url, recording) = await CountySessionAsync("draft");
        var (ruralAdmin, _) = await server.ClientAsync(await server.PersonAsync("school_admin", ResearchServer.RuralSchool));
        var (urbanTeacher, _) = await server.ClientAsync("teacher");

        var refused = await Api.GetAsync(ruralAdmin, $"{url}/recordings/{recording}/media");
        var allowed = await Api.GetAsync(urbanTeacher, $"{url}/recordings/{recording}/media");

        Assert.Equal("recording_not_viewable", refused.ExpectError(HttpStatusCode.Forbidden));
        Assert.Contains("/api/research/media/", allowed.Expect(HttpStatusCode.OK).GetProperty("mp4Url").GetString());
    }

    [Fact]
    public async Task Ticket_IssuedBeforeTakedown_NotFoundAfterIt()
    {
        var (url, recording) = await CountySessionAsync("published");
        var mp4 = await WorkingTicketAsync(url, recording);
        using var anonymous = server.App.CreateClient();

        var (countyAdmin, _) = await server.ClientAsync("admin");
        (await Api.PostAsync(countyAdmin, $"/api/library/resources/{await server.ResourceOfAsync(recording)}/takedown", new { reason = "版权问题" }))
            .Expect(HttpStatusCode.OK);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(mp4)).StatusCode);
    }

    [Fact]
    public async Task Ticket_HolderNoLongerInvited_NotFound()
    {
        var (url, recording) = await CountySessionAsync("published");
        var mp4 = await WorkingTicketAsync(url, recording);
        using var anonymous = server.App.CreateClient();

        var sessionId = Guid.Parse(url.Split('/')[^1]);
        Assert.Equal(1, await server.ExecuteAsync("""
            DELETE FROM research_invitations WHERE session_id = @id AND school_id = (SELECT id FROM organisations WHERE name = '青山村小学')
            """, sessionId));

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(mp4)).StatusCode);
    }

    [Fact]
    public async Task Ticket_RecordingRowDeleted_NotFound()
    {
        var (url, recording) = await CountySessionAsync("published");
        var mp4 = await WorkingTicketAsync(url, recording);
        using var anonymous = server.App.CreateClient();

        await server.ExecuteAsync("DELETE FROM resources WHERE recording_id = @id", recording);
        await server.ExecuteAsync("DELETE FROM recordings WHERE id = @id", recording);

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(mp4)).StatusCode);
    }
}
