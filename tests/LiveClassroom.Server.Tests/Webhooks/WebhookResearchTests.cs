using System.Net;
using LiveClassroom.Server.Tests.Research;
using LiveClassroom.Server.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Webhooks;

/// <summary>The end of a research session reaches the county's receiver with a report link per lesson.</summary>
public sealed class WebhookResearchTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    [Fact]
    public async Task SessionEnded_CountyHook_ReceivesSignedEventWithReportLinks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var s = await ResearchSessionScenario.CreateAsync(server);
        var county = await server.OrganisationIdAsync("示范县");
        // Stored directly: this research server does not allow http:// receivers through the API (WebhooksApiTests covers that path).
        var secret = WebhookSignature.NewSecret();
        var hook = await server.App.Services.GetRequiredService<WebhookStore>()
            .CreateAsync(county, receiver.Url, secret, [WebhookEvents.ResearchSessionEnded], null, s.ResearcherId, default);

        (await Api.PostAsync(s.Researcher, $"{s.Url}/end")).Expect(HttpStatusCode.OK);

        var ended = await receiver.NextAsync(WebhookEvents.ResearchSessionEnded,
            r => r.Json.GetProperty("data").GetProperty("sessionId").GetGuid() == s.SessionId);
        Assert.True(WebhookReceiver.SignatureValid(ended, secret));
        var lesson = Assert.Single(ended.Json.GetProperty("data").GetProperty("lessons").EnumerateArray());
        Assert.Equal(s.LessonId, lesson.GetProperty("lessonId").GetGuid());
        Assert.Equal($"/api/research/sessions/{s.SessionId}/reports/{s.LessonId}", lesson.GetProperty("report").GetString());
        await server.App.Services.GetRequiredService<WebhookStore>().DeleteAsync(hook.Id, default);
    }
}
