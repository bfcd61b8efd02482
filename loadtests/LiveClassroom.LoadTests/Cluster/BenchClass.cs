using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LiveClassroom.LoadTests.Cluster;

/// <summary>A hub identity: its bearer token, the principal id the class keys its participant by, and a device's classroom.</summary>
internal sealed record BenchIdentity(string Label, string Token, string PrincipalId, string? ClassroomId = null);

/// <summary>
/// The live class the benchmark joins, set up through the public HTTP API as the seeded demo accounts: a new lead
/// classroom and rural schools under the demo county, a pairing with today's lesson, a projector paired per rural
/// classroom, the lesson opened by its lead teacher. The identities are the lead teacher (role lead), the county admin
/// (observer, role Admin) and the projectors (role classroom): every one passes the hub's role check for this class.
/// </summary>
internal sealed class BenchClass
{
    private static readonly TimeSpan SchoolOffset = TimeSpan.FromHours(8);

    private BenchClass(string classId, BenchIdentity teacher, IReadOnlyList<BenchIdentity> identities)
    {
        ClassId = classId;
        Teacher = teacher;
        Identities = identities;
    }

    public string ClassId { get; }

    public BenchIdentity Teacher { get; }

    /// <summary>The teacher first, then the admin and the projectors.</summary>
    public IReadOnlyList<BenchIdentity> Identities { get; }

    /// <param name="devicesPerClassroom">Projectors paired per rural classroom (each its own participant), at most <paramref name="maxDevices"/> in all.</param>
    public static async Task<BenchClass> CreateAsync(Uri node, int ruralClassrooms, int devicesPerClassroom = 1, int maxDevices = int.MaxValue)
    {
        using var http = new HttpClient { BaseAddress = node, Timeout = TimeSpan.FromSeconds(60) };
        var tag = "bench" + Guid.NewGuid().ToString("n")[..6];
        var (admin, adminPerson) = await LoginAsync(http, "admin");
        var (teacher, teacherPerson) = await LoginAsync(http, "teacher");
        var tree = (await SendAsync(http, HttpMethod.Get, "/api/organisations", admin))["roots"]!.AsArray();
        var county = Find(tree, "示范县") ?? throw new InvalidOperationException("the seeded demo county is missing");
        var leadSchool = Find(tree, "示范县第一实验小学") ?? throw new InvalidOperationException("the seeded demo lead school is missing");
        var lead = await SendAsync(http, HttpMethod.Post, $"/api/organisations/{leadSchool["id"]}/classrooms", admin, new { name = $"主讲教室 {tag}" });
        var rural = new List<string>();
        for (var i = 1; i <= ruralClassrooms; i++)
        {
            var school = await SendAsync(http, HttpMethod.Post, "/api/organisations", admin,
                new { parentId = county["id"]!.GetValue<string>(), kind = "school", name = $"{tag}村小学{i}", isRural = true });
            var room = await SendAsync(http, HttpMethod.Post, $"/api/organisations/{school["id"]}/classrooms", admin, new { name = $"{tag}村小学{i}教室" });
            rural.Add(room["id"]!.GetValue<string>());
        }
        var pairing = await SendAsync(http, HttpMethod.Post, "/api/pairings", admin, new
        {
            name = $"{tag} 语文 1+{ruralClassrooms}",
            leadClassroomId = lead["id"]!.GetValue<string>(),
            leadTeacherId = teacherPerson["id"]!.GetValue<string>(),
            ruralClassroomIds = rural.ToArray(),
            subject = "语文",
            grade = "三年级",
            textbookEdition = "部编版",
        });
        var pairingId = pairing["pairingId"]!.GetValue<string>();
        var now = DateTimeOffset.UtcNow.ToOffset(SchoolOffset);
        await SendAsync(http, HttpMethod.Put, $"/api/pairings/{pairingId}/timetable", admin, TimetableNow(now));
        var identities = new List<BenchIdentity>
        {
            new("teacher", teacher, teacherPerson["id"]!.GetValue<string>()),
            new("admin", admin, adminPerson["id"]!.GetValue<string>()),
        };
        var pairings = new List<(string Classroom, string Name)>();
        for (var d = 0; d < devicesPerClassroom; d++)
        {
            for (var i = 0; i < rural.Count && pairings.Count < maxDevices; i++)
            {
                pairings.Add((rural[i], $"投影电脑 {i + 1}-{d + 1}"));
            }
        }
        using (var gate = new SemaphoreSlim(8))
        {
            identities.AddRange(await Task.WhenAll(pairings.Select(async p =>
            {
                await gate.WaitAsync();
                try
                {
                    return await PairDeviceAsync(http, admin, p.Classroom, p.Name);
                }
                finally
                {
                    gate.Release();
                }
            })));
        }
        var today = DateOnly.FromDateTime(now.DateTime).ToString("yyyy-MM-dd");
        var lessons = await SendAsync(http, HttpMethod.Get, $"/api/pairings/{pairingId}/lessons?from={today}&to={today}", teacher);
        var lessonId = lessons.AsArray()[0]!["lessonId"]!.GetValue<string>();
        var opened = await SendAsync(http, HttpMethod.Post, $"/api/pairings/{pairingId}/lessons/{lessonId}/open", teacher);
        return new BenchClass(opened["classId"]!.GetValue<string>(), identities[0], identities);
    }

    private static async Task<(string Token, JsonNode Person)> LoginAsync(HttpClient http, string username)
    {
        var body = await ReadAsync(await http.PostAsJsonAsync("/api/auth/login", new { username, password = ClusterBenchmark.DemoPassword }));
        return (body["token"]!.GetValue<string>(), body["person"]!);
    }

    /// <summary>The projector flow: the PC asks for a code, the admin confirms it for the classroom, the PC polls its token.</summary>
    private static async Task<BenchIdentity> PairDeviceAsync(HttpClient http, string admin, string classroomId, string name)
    {
        var request = await SendAsync(http, HttpMethod.Post, "/api/devices/pairing-requests", null);
        var device = await SendAsync(http, HttpMethod.Post, "/api/devices/pair", admin, new { code = request["code"]!.GetValue<string>(), classroomId, name });
        var status = await SendAsync(http, HttpMethod.Get,
            $"/api/devices/pairing-requests/{request["requestId"]}?pollToken={Uri.EscapeDataString(request["pollToken"]!.GetValue<string>())}", null);
        var token = status["deviceToken"]?.GetValue<string>() ?? throw new InvalidOperationException($"pairing not confirmed: {status}");
        return new BenchIdentity("device", token, device["id"]!.GetValue<string>(), classroomId);
    }

    /// <summary>A term around today with one weekly slot today that started a few minutes ago (school time).</summary>
    private static object TimetableNow(DateTimeOffset now)
    {
        var midnight = new DateTimeOffset(now.Date, SchoolOffset);
        var start = now.AddMinutes(-5);
        if (start < midnight)
        {
            start = midnight;
        }
        if (start.AddMinutes(2) >= midnight.AddDays(1))
        {
            start = midnight.AddDays(1).AddMinutes(-3);
        }
        var today = DateOnly.FromDateTime(now.DateTime);
        return new
        {
            termName = "基准测试学期",
            startDate = today.AddDays(-7).ToString("yyyy-MM-dd"),
            endDate = today.AddDays(30).ToString("yyyy-MM-dd"),
            slots = new[] { new { day = now.DayOfWeek.ToString(), start = start.ToString("HH:mm:00"), durationMinutes = 120, subject = "语文" } },
            holidays = Array.Empty<object>(),
            makeUpDays = Array.Empty<object>(),
        };
    }

    private static async Task<JsonNode> SendAsync(HttpClient http, HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        return await ReadAsync(await http.SendAsync(request));
    }

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {text}");
            }
            return string.IsNullOrEmpty(text) ? new JsonObject() : JsonNode.Parse(text)!;
        }
    }

    private static JsonNode? Find(JsonArray nodes, string name)
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
}
