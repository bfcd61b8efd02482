using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveClassroom.Server.Tests.Hubs;
using LiveClassroom.Testing.SignalR;

namespace LiveClassroom.Server.Tests.Operations;

/// <summary>
/// /metrics (Prometheus text, admins only on the main port) after a class with peers in the real SFU: the SFU's,
/// rooms', recordings' and auth meters are there with the values the class left, next to ASP.NET Core's and the runtime's.
/// Other test servers of this process feed the same meter names, so values are checked as lower bounds.
/// </summary>
public sealed partial class MetricsTests(SfuHubServerFactory factory) : IClassFixture<SfuHubServerFactory>
{
    [Fact]
    public async Task Metrics_AfterAClassWithPeers_ExposeTheNamedMeters()
    {
        var (classId, lead) = await OpenClassWithReceivingLeadAsync(factory);
        await using var _ = lead;
        await using var researcher = await factory.ConnectAsync(factory.TokenFor("researcher"));
        await researcher.InvokeAsync("JoinClass", classId);
        using var anonymous = factory.CreateClient();
        using var refused = await anonymous.PostAsJsonAsync("/api/auth/login", new { username = "teacher", password = "not-the-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { username = "admin", password = "demo-password-for-tests" });
        login.EnsureSuccessStatusCode();
        using var admin = factory.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString());

        using var response = await admin.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(Sum(text, "liveclassroom_sfu_rooms") >= 1, "an SFU room for the class");
        Assert.True(Sum(text, "liveclassroom_sfu_peers") >= 1, "the lead's peer");
        // The lead asked for one receive slot: a subscriber of this class's media room.
        Assert.True(Sum(text, "liveclassroom_sfu_room_subscribers", $"room=\"{classId}\"") >= 1, "a subscriber in the class's media room");
        // The class's events (joined, opened) were fanned out to its group on this node.
        Assert.True(Sum(text, "liveclassroom_rooms_fanout_duration_seconds_count", "hub=\"class\"") >= 1, "class events fanned out");
        Assert.True(Sum(text, "liveclassroom_hub_connections", "hub=\"ClassroomHub\"") >= 2, "two hub connections");
        Assert.True(Sum(text, "liveclassroom_rooms_live_classes") >= 1, "one live class");
        Assert.True(Sum(text, "liveclassroom_rooms_participants") >= 2, "lead and researcher joined");
        Assert.True(Sum(text, "liveclassroom_auth_logins_total") >= 1);
        Assert.True(Sum(text, "liveclassroom_auth_login_failures_total") >= 1);
        foreach (var name in new[]
        {
            "liveclassroom_sfu_tracks", "liveclassroom_sfu_packets_forwarded_total", "liveclassroom_sfu_forwarded_bytes_total",
            "liveclassroom_sfu_packets_dropped_total", "liveclassroom_sfu_nacks_total", "liveclassroom_sfu_keyframe_requests_total",
            "liveclassroom_sfu_transport_dropped_total", "liveclassroom_sfu_transport_packets_total", "liveclassroom_sfu_transport_bytes_total",
            "liveclassroom_recordings_active", "liveclassroom_recordings_finalize_queue", "liveclassroom_auth_login_throttled_total",
            "liveclassroom_dashboard_watchers", "liveclassroom_dashboard_frames_total",
            "liveclassroom_sfu_packet_thread_cpu_time_seconds_total", "liveclassroom_recordings_ffmpeg_restarts_total",
            "liveclassroom_sfu_worker_packets_total",
            "liveclassroom_rooms_fanout_duration_seconds_count",
            "liveclassroom_grain_state_write_duration_seconds_count", "liveclassroom_grain_state_write_size_bytes_count",
            "http_server_request_duration_seconds_count",
        })
        {
            Assert.True(Sum(text, name) is not null, $"{name} is missing from /metrics");
        }
        Assert.Matches(RuntimeMetric(), text);
        Assert.Contains("reason=\"stream_limit\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AsTeacherOrAnonymous_AreRefused()
    {
        using var teacher = factory.CreateClient();
        teacher.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", factory.TokenFor("teacher"));
        using var anonymous = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/metrics")).StatusCode);
    }

    /// <summary>A class opened by the demo teacher, whose peer in the real SFU receives one slot (its media room has a subscriber).</summary>
    internal static async Task<(string ClassId, HubTestClient Lead)> OpenClassWithReceivingLeadAsync(SfuHubServerFactory factory)
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await lead.InvokeAsync("Negotiate", classId, ClassroomHubMediaLimitTests.Offer(("video", "0", "recvonly")),
            new { publish = (object?)null, receiveSlots = new[] { new { name = "main", mid = "0" } } });
        return (classId, lead);
    }

    /// <summary>The sum of a metric's samples (optionally those whose labels contain <paramref name="label"/>), or null when absent.</summary>
    private static double? Sum(string text, string name, string? label = null)
    {
        double? sum = null;
        foreach (Match m in Sample().Matches(text))
        {
            if (m.Groups["name"].Value == name && (label is null || m.Groups["labels"].Value.Contains(label, StringComparison.Ordinal)))
            {
                sum = (sum ?? 0) + double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture);
            }
        }
        return sum;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<labels>\{[^}]*\})? (?<value>[-+0-9.eE]+|NaN|\+Inf)", RegexOptions.Multiline)]
    private static partial Regex Sample();

    [GeneratedRegex(@"^(dotnet_gc_|process_runtime_dotnet_gc_)", RegexOptions.Multiline)]
    private static partial Regex RuntimeMetric();
}
