using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Server.Tests.Hubs;
using LiveClassroom.Server.Tests.Recording;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Webhooks;

/// <summary>Class events reach the organisation's receivers signed; failures are retried with back-off; replays resend.</summary>
public sealed class WebhookDeliveryTests(WebhookServerFactory f) : IClassFixture<WebhookServerFactory>
{
    private HttpClient Client(string username)
    {
        var client = f.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", f.TokenFor(username));
        return client;
    }

    private async Task<(Guid Id, string Secret)> RegisterAsync(HttpClient admin, Guid organisationId, string url, params string[] events)
    {
        using var response = await admin.PostAsJsonAsync("/api/webhooks", new { organisationId, url, events });
        var created = await JsonAssert.StatusAsync(response, HttpStatusCode.Created);
        return (created.GetProperty("webhook").GetProperty("id").GetGuid(), created.GetProperty("secret").GetString()!);
    }

    private RoomCaller Lead => new(f.Org["teacher"].Id.ToString(), "王芳", RoomRole.Lead, f.Org.ClassroomOf(DemoOrg.LeadSchool).ToString());

    private IClassroomGrain Class(string classId) => f.Services.GetRequiredService<IGrainFactory>().GetGrain<IClassroomGrain>(classId);

    private static bool Of(WebhookReceiver.Received r, string classId) => r.Json.GetProperty("data").GetProperty("classId").GetString() == classId;

    private async Task<JsonElement> DeliveriesAsync(HttpClient admin, Guid hook) =>
        (await JsonAssert.StatusAsync(await admin.GetAsync($"/api/webhooks/{hook}/deliveries"), HttpStatusCode.OK)).GetProperty("deliveries");

    /// <summary>The hook's only delivery once its status is <paramref name="status"/> (the event is queued after the class's turn, so at first there may be none).</summary>
    private async Task<JsonElement> OnlyDeliveryAsync(HttpClient admin, Guid hook, string status, TimeSpan timeout)
    {
        var list = await Eventually.WaitAsync(() => DeliveriesAsync(admin, hook),
            d => d.GetArrayLength() == 1 && d[0].GetProperty("status").GetString() == status, timeout, $"one delivery, {status}");
        return list[0];
    }

    [Fact]
    public async Task ClassEnded_CountyHook_ReceivesSignedEventsOfItsSchoolsClass()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = Client("admin");
        var county = f.Org.Org(DemoOrg.County);
        var (hook, secret) = await RegisterAsync(admin, county, receiver.Url, "class.opened", "class.ended", "attendance.closed");
        try
        {
            var classId = await TestClasses.SetUpAsync(f, ruralCount: 1);
            await Class(classId).OpenAsync(Lead);
            await Class(classId).EndAsync(Lead);

            var ended = await receiver.NextAsync("class.ended", r => Of(r, classId));
            var attendance = await receiver.NextAsync("attendance.closed", r => Of(r, classId));

            Assert.True(WebhookReceiver.SignatureValid(ended, secret), "class.ended signature: " + ended.Signature);
            Assert.False(WebhookReceiver.SignatureValid(ended, secret + "x"));
            Assert.True(WebhookReceiver.SignatureValid(attendance, secret));
            var body = ended.Json;
            Assert.Equal("class.ended", body.GetProperty("type").GetString());
            Assert.Equal(ended.EventId, body.GetProperty("id").GetString());
            Assert.Contains(f.Org.Org(DemoOrg.LeadSchool), body.GetProperty("organisationIds").EnumerateArray().Select(e => e.GetGuid()));
            Assert.Equal("ended", body.GetProperty("data").GetProperty("state").GetString());
            Assert.Equal(2, body.GetProperty("data").GetProperty("classrooms").GetArrayLength());
            Assert.StartsWith("https://classroom.example.cn/api/classes/", body.GetProperty("data").GetProperty("links").GetProperty("attendance").GetString(), StringComparison.Ordinal);
            Assert.Equal(2, attendance.Json.GetProperty("data").GetProperty("expected").GetInt32());
            var deliveries = await Eventually.WaitAsync(() => DeliveriesAsync(admin, hook),
                d => d.EnumerateArray().Count(x => x.GetProperty("status").GetString() == "succeeded") >= 3, TimeSpan.FromSeconds(30), "three succeeded deliveries");
            var endedDelivery = deliveries.EnumerateArray().Single(d => d.GetProperty("eventId").GetString() == ended.EventId);
            Assert.Equal(200, endedDelivery.GetProperty("lastStatusCode").GetInt32());
            Assert.Equal(1, endedDelivery.GetProperty("attempts").GetInt32());
        }
        finally
        {
            await admin.DeleteAsync($"/api/webhooks/{hook}");
        }
    }

    [Fact]
    public async Task FailingReceiver_RetriedWithDoublingBackoff_UntilAttemptsUsedUp()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 500;
        using var admin = Client("schooladmin");
        var (hook, secret) = await RegisterAsync(admin, f.Org.Org(DemoOrg.LeadSchool), receiver.Url, "class.ended");
        try
        {
            var classId = await TestClasses.SetUpAsync(f, ruralCount: 1);
            await Class(classId).OpenAsync(Lead);

            var snapshot = await Class(classId).EndAsync(Lead);

            Assert.Equal(ClassState.Ended, snapshot.State);
            var delivery = await OnlyDeliveryAsync(admin, hook, "failed", TimeSpan.FromSeconds(60));
            Assert.Equal(WebhookServerFactory.MaxAttempts, delivery.GetProperty("attempts").GetInt32());
            Assert.Equal(500, delivery.GetProperty("lastStatusCode").GetInt32());
            Assert.Equal(JsonValueKind.Null, delivery.GetProperty("nextAttemptAt").ValueKind);
            var detail = await JsonAssert.StatusAsync(await admin.GetAsync($"/api/webhooks/deliveries/{delivery.GetProperty("id").GetInt64()}"), HttpStatusCode.OK);
            var log = detail.GetProperty("attemptLog").EnumerateArray().ToList();
            Assert.Equal(WebhookServerFactory.MaxAttempts, log.Count);
            Assert.All(log, a => Assert.Equal(500, a.GetProperty("statusCode").GetInt32()));
            // The wait set after each failure doubles from the 0.2 s base: 0.2, 0.4, 0.8; none after the last attempt.
            var waits = log.Take(log.Count - 1)
                .Select(a => (a.GetProperty("nextAttemptAt").GetDateTimeOffset() - a.GetProperty("attemptedAt").GetDateTimeOffset()).TotalSeconds)
                .ToList();
            Assert.Equal([0.2, 0.4, 0.8], waits.Select(w => Math.Round(w, 2)));
            Assert.Equal(JsonValueKind.Null, log[^1].GetProperty("nextAttemptAt").ValueKind);
            // Every failed attempt was logged, and no log line carries the hook's secret.
            Assert.Contains(f.Logs.Lines, l => l.Contains($"attempt {WebhookServerFactory.MaxAttempts}/{WebhookServerFactory.MaxAttempts} failed", StringComparison.Ordinal));
            Assert.DoesNotContain(f.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal));
            // Each retry came no earlier than its wait.
            for (var i = 1; i < log.Count; i++)
            {
                Assert.True(log[i].GetProperty("attemptedAt").GetDateTimeOffset() >= log[i - 1].GetProperty("nextAttemptAt").GetDateTimeOffset());
            }
        }
        finally
        {
            await admin.DeleteAsync($"/api/webhooks/{hook}");
        }
    }

    [Fact]
    public async Task HangingReceiver_ClassOpensAndEndsWithoutWaitingForIt()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var admin = Client("schooladmin");
        var (hook, _) = await RegisterAsync(admin, f.Org.Org(DemoOrg.LeadSchool), receiver.Url, "class.opened", "class.ended");
        try
        {
            var classId = await TestClasses.SetUpAsync(f, ruralCount: 1);
            await Class(classId).OpenAsync(Lead);
            // The receiver now holds the class.opened delivery open and answers nothing.
            await receiver.NextAsync("class.opened", r => Of(r, classId));

            var snapshot = await Class(classId).EndAsync(Lead);

            Assert.Equal(ClassState.Ended, snapshot.State);
            Assert.False(receiver.Hold.Task.IsCompleted, "the class ended while its receiver still held a delivery");
            receiver.Hold.SetResult();
            var ended = await receiver.NextAsync("class.ended", r => Of(r, classId));
            Assert.Equal("class.ended", ended.Json.GetProperty("type").GetString());
        }
        finally
        {
            receiver.Hold.TrySetResult();
            await admin.DeleteAsync($"/api/webhooks/{hook}");
        }
    }

    [Fact]
    public async Task Replay_DeliveredEvent_SentAgainWithTheSameEventIdAndBody()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = Client("schooladmin");
        var (hook, secret) = await RegisterAsync(admin, f.Org.Org(DemoOrg.LeadSchool), receiver.Url, "class.opened");
        try
        {
            var classId = await TestClasses.SetUpAsync(f, ruralCount: 1);
            await Class(classId).OpenAsync(Lead);
            var first = await receiver.NextAsync("class.opened", r => Of(r, classId));
            var delivery = await OnlyDeliveryAsync(admin, hook, "succeeded", TimeSpan.FromSeconds(30));

            using var replayed = await admin.PostAsync($"/api/webhooks/deliveries/{delivery.GetProperty("id").GetInt64()}/replay", null);

            var replay = await JsonAssert.StatusAsync(replayed, HttpStatusCode.Accepted);
            Assert.Equal(delivery.GetProperty("id").GetInt64(), replay.GetProperty("replayOf").GetInt64());
            var again = await receiver.NextAsync("class.opened", r => Of(r, classId));
            Assert.Equal(first.EventId, again.EventId);
            Assert.Equal(first.Body, again.Body);
            Assert.NotEqual(first.DeliveryId, again.DeliveryId);
            Assert.True(WebhookReceiver.SignatureValid(again, secret));
        }
        finally
        {
            await admin.DeleteAsync($"/api/webhooks/{hook}");
        }
    }
}
