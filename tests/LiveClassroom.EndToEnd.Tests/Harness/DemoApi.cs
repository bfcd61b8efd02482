using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>A fresh pairing for one test: its own lead classroom and rural schools, a lesson running now.</summary>
public sealed record Scenario(string PairingId, string PairingName, string LeadClassroomId, IReadOnlyList<RuralClassroom> RuralClassrooms);

/// <summary>A rural classroom of a scenario; its name is unique so tiles and lists can be told apart.</summary>
public sealed record RuralClassroom(string Id, string Name, string SchoolName);

/// <summary>
/// Sets up what a test needs through the server's public HTTP API, as the seeded demo accounts
/// (county admin "admin", lead teacher "teacher"), so tests do not depend on each other's data.
/// </summary>
public sealed class DemoApi(Uri baseUrl) : IDisposable
{
    /// <summary>Lessons are in China Standard Time (the server's school time) whatever the machine's zone.</summary>
    public static readonly TimeSpan SchoolOffset = TimeSpan.FromHours(8);

    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<(string Token, JsonNode Person)> LoginAsync(string username)
    {
        var res = await _http.PostAsJsonAsync("/api/auth/login", new { username, password = ServerProcess.DemoPassword });
        var body = await ReadAsync(res);
        return (body["token"]!.GetValue<string>(), body["person"]!);
    }

    public async Task<JsonNode> SendAsync(HttpMethod method, string path, string? token, object? body = null)
    {
        using var req = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            req.Content = JsonContent.Create(body);
        }
        return await ReadAsync(await _http.SendAsync(req));
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage res)
    {
        var text = await res.Content.ReadAsStringAsync();
        if (!res.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)res.StatusCode} {res.RequestMessage?.Method} {res.RequestMessage?.RequestUri}: {text}");
        }
        return string.IsNullOrEmpty(text) ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <param name="lessonsToday">lessons today, a minute apart, the first a few minutes ago (school time).</param>
    public async Task<Scenario> CreateScenarioAsync(string tag, int ruralCount, int lessonsToday = 1)
    {
        var (admin, _) = await LoginAsync("admin");
        var (_, teacher) = await LoginAsync("teacher");
        var tree = await SendAsync(HttpMethod.Get, "/api/organisations", admin);
        var county = Find(tree["roots"]!.AsArray(), "示范县") ?? throw new InvalidOperationException("demo county missing");
        var leadSchool = Find(tree["roots"]!.AsArray(), "示范县第一实验小学") ?? throw new InvalidOperationException("demo lead school missing");
        var lead = await SendAsync(HttpMethod.Post, $"/api/organisations/{leadSchool["id"]}/classrooms", admin, new { name = $"主讲教室 {tag}" });
        var rural = new List<RuralClassroom>();
        for (var i = 1; i <= ruralCount; i++)
        {
            var schoolName = $"{tag}村小学{i}";
            var school = await SendAsync(HttpMethod.Post, "/api/organisations", admin,
                new { parentId = county["id"]!.GetValue<string>(), kind = "school", name = schoolName, isRural = true });
            var roomName = $"{schoolName}教室";
            var room = await SendAsync(HttpMethod.Post, $"/api/organisations/{school["id"]}/classrooms", admin, new { name = roomName });
            rural.Add(new RuralClassroom(room["id"]!.GetValue<string>(), roomName, schoolName));
        }
        var name = $"{tag} 语文 1+{ruralCount}";
        var pairing = await SendAsync(HttpMethod.Post, "/api/pairings", admin, new
        {
            name,
            leadClassroomId = lead["id"]!.GetValue<string>(),
            leadTeacherId = teacher["id"]!.GetValue<string>(),
            ruralClassroomIds = rural.Select(r => r.Id).ToArray(),
            subject = "语文",
            grade = "三年级",
            textbookEdition = "部编版",
        });
        var pairingId = pairing["pairingId"]!.GetValue<string>();
        await SendAsync(HttpMethod.Put, $"/api/pairings/{pairingId}/timetable", admin, TimetableWithLessonsNow(lessonsToday));
        return new Scenario(pairingId, name, lead["id"]!.GetValue<string>(), rural);
    }

    /// <summary>A term around today with <paramref name="count"/> weekly slots today, a minute apart, the first a few minutes ago (school time).</summary>
    private static object TimetableWithLessonsNow(int count)
    {
        var now = DateTimeOffset.UtcNow.ToOffset(SchoolOffset);
        var midnight = new DateTimeOffset(now.Date, SchoolOffset);
        // Every slot on today's date, whatever the hour: clamp into [00:00, 23:59 − count minutes].
        var start = now.AddMinutes(-5);
        if (start < midnight)
        {
            start = midnight;
        }
        if (start.AddMinutes(count) >= midnight.AddDays(1))
        {
            start = midnight.AddDays(1).AddMinutes(-count - 1);
        }
        var today = DateOnly.FromDateTime(now.DateTime);
        var slots = Enumerable.Range(0, count)
            .Select(i => new { day = now.DayOfWeek.ToString(), start = start.AddMinutes(i).ToString("HH:mm:00"), durationMinutes = 120, subject = "语文" });
        // Late in the school day the same lessons also stand at tomorrow's midnight: a page that loads after midnight
        // (school time, 16:00 UTC) looks for tomorrow's timetable and must still find this scenario's lessons.
        if (midnight.AddDays(1) - now < TimeSpan.FromMinutes(30))
        {
            slots = slots.Concat(Enumerable.Range(0, count)
                .Select(i => new { day = now.AddDays(1).DayOfWeek.ToString(), start = midnight.AddMinutes(i).ToString("HH:mm:00"), durationMinutes = 120, subject = "语文" }));
        }
        return new
        {
            termName = "测试学期",
            startDate = today.AddDays(-7).ToString("yyyy-MM-dd"),
            endDate = today.AddDays(30).ToString("yyyy-MM-dd"),
            slots = slots.ToArray(),
            holidays = Array.Empty<object>(),
            makeUpDays = Array.Empty<object>(),
        };
    }

    /// <summary>Pairs a projector for a classroom through the real flow (request, admin confirms, poll) and returns its device token.</summary>
    public async Task<string> PairDeviceAsync(string classroomId, string name) => (await PairDeviceWithIdAsync(classroomId, name)).Token;

    /// <summary>Pairs a device as <see cref="PairDeviceAsync"/> does; also returns its id (its media peer id in a class).</summary>
    public async Task<(string Token, string DeviceId)> PairDeviceWithIdAsync(string classroomId, string name)
    {
        var (admin, _) = await LoginAsync("admin");
        var request = await SendAsync(HttpMethod.Post, "/api/devices/pairing-requests", null);
        await SendAsync(HttpMethod.Post, "/api/devices/pair", admin, new { code = request["code"]!.GetValue<string>(), classroomId, name });
        var status = await SendAsync(HttpMethod.Get,
            $"/api/devices/pairing-requests/{request["requestId"]}?pollToken={Uri.EscapeDataString(request["pollToken"]!.GetValue<string>())}", null);
        var token = status["deviceToken"]?.GetValue<string>() ?? throw new InvalidOperationException($"pairing not confirmed: {status}");
        var id = status["device"]?["id"]?.GetValue<string>() ?? throw new InvalidOperationException($"pairing names no device: {status}");
        return (token, id);
    }

    /// <summary>Opens today's lesson of the pairing as its lead teacher; returns the live class id.</summary>
    public async Task<string> OpenLessonAsync(string pairingId)
    {
        var (teacher, _) = await LoginAsync("teacher");
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(SchoolOffset).DateTime).ToString("yyyy-MM-dd");
        var lessons = await SendAsync(HttpMethod.Get, $"/api/pairings/{pairingId}/lessons?from={today}&to={today}", teacher);
        var lessonId = lessons.AsArray()[0]!["lessonId"]!.GetValue<string>();
        var opened = await SendAsync(HttpMethod.Post, $"/api/pairings/{pairingId}/lessons/{lessonId}/open", teacher);
        return opened["classId"]!.GetValue<string>();
    }

    public static JsonNode? Find(JsonArray nodes, string name)
    {
        foreach (var n in nodes)
        {
            if (n!["name"]?.GetValue<string>() == name)
            {
                return n;
            }
            if (n["children"] is JsonArray children && Find(children, name) is { } hit)
            {
                return hit;
            }
        }
        return null;
    }

    public void Dispose() => _http.Dispose();
}
