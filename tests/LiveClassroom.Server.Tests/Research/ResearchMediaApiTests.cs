using System.Net;
using System.Net.Http.Headers;
using LiveClassroom.Server.Recording;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>Session-scoped playback: members get ticketed URLs; tickets open the files without a bearer, and nothing else does.</summary>
public sealed class ResearchMediaApiTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    private static readonly byte[] Mp4 = [.. Enumerable.Range(0, 4096).Select(i => (byte)(i % 251))];

    /// <summary>Puts a finalized MP4 and poster where the recordings area keeps them.</summary>
    private void WriteFinalized(Guid recordingId)
    {
        var root = server.App.Services.GetRequiredService<RecordingService>().Root;
        var dir = RecordingPaths.Directory(root, recordingId);
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, RecordingPaths.Mp4), Mp4);
        File.WriteAllBytes(Path.Combine(dir, RecordingPaths.Poster), [0xFF, 0xD8, 0xFF, 0xD9]);
    }

    private async Task<(ResearchSessionScenario Session, string Mp4Url, string PosterUrl)> TicketAsync()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        WriteFinalized(s.RecordingId);
        var media = (await Api.GetAsync(s.Observer, $"{s.Url}/recordings/{s.RecordingId}/media")).Expect(HttpStatusCode.OK);
        Assert.Equal(s.RecordingId, media.GetProperty("recordingId").GetGuid());
        Assert.Equal(2400, media.GetProperty("durationSeconds").GetDouble());
        return (s, media.GetProperty("mp4Url").GetString()!, media.GetProperty("posterUrl").GetString()!);
    }

    [Fact]
    public async Task Ticket_RangeRequestWithoutBearer_PartialContent()
    {
        var (_, mp4Url, posterUrl) = await TicketAsync();
        using var anonymous = server.App.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, mp4Url);
        request.Headers.Range = new RangeHeaderValue(100, 199);

        using var response = await anonymous.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(Mp4[100..200], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("video/mp4", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(posterUrl)).StatusCode);
    }

    [Fact]
    public async Task Ticket_Tampered_NotFound()
    {
        var (_, mp4Url, _) = await TicketAsync();
        using var anonymous = server.App.CreateClient();
        var ticket = mp4Url.Split('/')[4];
        var flipped = (ticket[0] == 'A' ? 'B' : 'A') + ticket[1..];

        var forged = await anonymous.GetAsync(mp4Url.Replace(ticket, flipped, StringComparison.Ordinal));
        var garbage = await anonymous.GetAsync("/api/research/media/not-a-ticket/video.mp4");

        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, garbage.StatusCode);
    }

    [Fact]
    public async Task Ticket_AfterSixHours_NotFound()
    {
        var (_, mp4Url, _) = await TicketAsync();
        using var anonymous = server.App.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(mp4Url)).StatusCode);

        server.Clock.Advance(TimeSpan.FromHours(6) + TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(mp4Url)).StatusCode);
    }

    [Fact]
    public async Task Media_NonMember_ForbiddenNotAMember()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);

        var code = (await Api.GetAsync(s.Outsider, $"{s.Url}/recordings/{s.RecordingId}/media")).ExpectError(HttpStatusCode.Forbidden);

        Assert.Equal("not_a_member", code);
    }

    [Fact]
    public async Task Media_RecordingNotLinkedToSession_NotFoundRecordingNotFound()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        var elsewhere = await server.RecordingAsync();

        var code = (await Api.GetAsync(s.Teacher, $"{s.Url}/recordings/{elsewhere}/media")).ExpectError(HttpStatusCode.NotFound);

        Assert.Equal("recording_not_found", code);
    }

    [Fact]
    public async Task Media_SharedPlaybackRecording_TicketIssued()
    {
        var s = await ResearchSessionScenario.CreateAsync(server);
        var shared = await server.RecordingAsync();
        (await Api.PutAsync(s.Researcher, $"{s.Url}/playback", new { recordingId = shared, playing = true, positionSeconds = 5 })).Expect(HttpStatusCode.OK);

        var media = (await Api.GetAsync(s.Teacher, $"{s.Url}/recordings/{shared}/media")).Expect(HttpStatusCode.OK);

        Assert.Contains("/api/research/media/", media.GetProperty("mp4Url").GetString());
    }
}
