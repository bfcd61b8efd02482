using System.Net;
using System.Net.Http.Json;
using Dapper;
using LiveClassroom.Server.Recording;
using LiveClassroom.Server.Tests.Recording;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LiveClassroom.Server.Tests.Webhooks;

/// <summary>A finished recording reaches its school's receiver as one signed recording.ready, however often finalize runs.</summary>
public sealed class WebhookRecordingTests : IClassFixture<RecordingServerFactory>
{
    private readonly RecordingServerFactory _f;

    public WebhookRecordingTests(RecordingServerFactory f)
    {
        _f = f;
        // Before the host starts (on first use of Server): a receiver on 127.0.0.1 is allowed here.
        f.Settings["Webhooks:AllowInsecureLoopback"] = "true";
        f.Settings["Webhooks:RetryBaseSeconds"] = "0.2";
        f.Settings["Webhooks:PollMilliseconds"] = "200";
    }

    [Fact]
    public async Task Finalize_RunTwice_OneSignedRecordingReadyToTheSchoolsHook()
    {
        _ = _f.Server;
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = await TestPeople.ClientAsync(_f, "schooladmin");
        var school = (await TestPeople.GetAsync(_f.Services, "schooladmin")).OrganisationId;
        using var response = await admin.PostAsJsonAsync("/api/webhooks", new { organisationId = school, url = receiver.Url, events = new[] { "recording.ready" } });
        var created = await JsonAssert.StatusAsync(response, HttpStatusCode.Created);
        var secret = created.GetProperty("secret").GetString()!;
        var hook = created.GetProperty("webhook").GetProperty("id").GetGuid();
        var id = await SyntheticRecording.CreateAsync(_f, "teacher", new CourseInfo("认识钟表", "小学", "一年级", "数学"));
        var finalizer = _f.Services.GetRequiredService<RecordingFinalizer>();

        await finalizer.FinalizeAsync(id, _ => Task.CompletedTask, default);
        await finalizer.FinalizeAsync(id, _ => Task.CompletedTask, default);

        var ready = await receiver.NextAsync("recording.ready", r => r.Json.GetProperty("data").GetProperty("recordingId").GetGuid() == id);
        Assert.True(WebhookReceiver.SignatureValid(ready, secret), "recording.ready signature: " + ready.Signature);
        var data = ready.Json.GetProperty("data");
        Assert.Equal("认识钟表", data.GetProperty("title").GetString());
        Assert.InRange(data.GetProperty("durationSeconds").GetDouble(), 3, 5);
        Assert.True(data.GetProperty("hasVideo").GetBoolean());
        Assert.Equal($"/api/recordings/{id}", data.GetProperty("links").GetProperty("recording").GetString());
        await using var conn = await _f.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM webhook_deliveries WHERE webhook_id = @hook", new { hook }));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/webhooks/{hook}")).StatusCode);
    }

    [Fact]
    public async Task Review_ApprovedTwiceThenTakenDown_CountyHookHearsEachDecisionPublishAndTakedown()
    {
        _ = _f.Server;
        await using var receiver = await WebhookReceiver.StartAsync();
        using var county = await TestPeople.ClientAsync(_f, "admin");
        var countyId = (await TestPeople.GetAsync(_f.Services, "admin")).OrganisationId;
        using var response = await county.PostAsJsonAsync("/api/webhooks", new
        {
            organisationId = countyId, url = receiver.Url, events = new[] { "review.decided", "recording.published", "recording.taken_down" },
        });
        var created = await JsonAssert.StatusAsync(response, HttpStatusCode.Created);
        var secret = created.GetProperty("secret").GetString()!;
        var hook = created.GetProperty("webhook").GetProperty("id").GetGuid();
        var id = await Library.LibraryFlow.DraftAsync(_f, new CourseInfo("分数的初步认识", "小学", "三年级", "数学"));
        bool Of(WebhookReceiver.Received r) => r.Json.GetProperty("data").GetProperty("resourceId").GetGuid() == id;

        await Library.LibraryFlow.PublishAsync(_f, id);
        await Library.LibraryFlow.PostAsync(county, $"/api/library/resources/{id}/takedown", new { reason = "教材版本有误" });

        bool Step(WebhookReceiver.Received r, string step) => Of(r) && r.Json.GetProperty("data").GetProperty("decision").GetProperty("step").GetString() == step;
        var school = await receiver.NextAsync("review.decided", r => Step(r, "school"));
        var countyStep = await receiver.NextAsync("review.decided", r => Step(r, "county"));
        var published = await receiver.NextAsync("recording.published", Of);
        var takenDown = await receiver.NextAsync("recording.taken_down", Of);
        Assert.All([school, countyStep, published, takenDown], r => Assert.True(WebhookReceiver.SignatureValid(r, secret)));
        Assert.Equal("approved", school.Json.GetProperty("data").GetProperty("decision").GetProperty("decision").GetString());
        Assert.Equal("approved", countyStep.Json.GetProperty("data").GetProperty("decision").GetProperty("decision").GetString());
        Assert.Equal("published", published.Json.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("教材版本有误", takenDown.Json.GetProperty("data").GetProperty("decision").GetProperty("reason").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await county.DeleteAsync($"/api/webhooks/{hook}")).StatusCode);
    }
}
