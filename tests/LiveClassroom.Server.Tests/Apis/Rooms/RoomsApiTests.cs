using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LiveClassroom.Server.Tests.Hubs;

namespace LiveClassroom.Server.Tests.Apis.Rooms;

/// <summary>The room HTTP APIs end to end: a county admin pairs the lead classroom with rural classrooms 0 and 1 (school 2 is unrelated).</summary>
public sealed class RoomsApiTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    private static string Today => RoomApiRequests.Today;

    [Fact]
    public async Task CreatePairing_CountyAdmin_CreatedAndListedForItsMembersOnly()
    {
        var pairingId = await CreatePairingAsync();

        Assert.Contains(pairingId, await ListedAsync(factory.TokenFor("teacher")));
        Assert.Contains(pairingId, await ListedAsync(factory.TokenFor("assistant1")));
        Assert.Contains(pairingId, await ListedAsync(factory.TokenFor("researcher")));
        Assert.Contains(pairingId, await ListedAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[1])));
        Assert.DoesNotContain(pairingId, await ListedAsync(factory.TokenFor("assistant3")));
        Assert.DoesNotContain(pairingId, await ListedAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[2])));
    }

    [Theory]
    [InlineData("teacher")]
    [InlineData("assistant1")]
    [InlineData("researcher")]
    [InlineData("schooladmin")]
    public async Task CreatePairing_NotAnAdminOfEverySchool_Forbidden(string username)
    {
        using var http = Client(factory.TokenFor(username));

        using var response = await http.PostAsJsonAsync("/api/pairings", PairingBody());

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", (string?)(await BodyAsync(response))["error"]);
    }

    [Fact]
    public async Task CreatePairing_MissingFields_Validation()
    {
        using var http = Client(factory.TokenFor("admin"));

        using var response = await http.PostAsJsonAsync("/api/pairings", new { name = "缺字段" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal("validation", (string?)body["error"]);
        Assert.False(string.IsNullOrEmpty((string?)body["messageZh"]));
        Assert.Equal("required", (string?)body["fields"]!["leadClassroomId"]);
        Assert.Equal("required", (string?)body["fields"]!["ruralClassroomIds"]);
        Assert.Null(body["fields"]!["name"]);
    }

    [Fact]
    public async Task LessonLifecycle_LeadOpensRuralRates_EachStepOnlyForItsRole()
    {
        var pairingId = await CreatePairingAsync();
        await PutTimetableAsync(pairingId);
        using var lead = Client(factory.TokenFor("teacher"));
        using var assistant = Client(factory.TokenFor("assistant1"));
        using var stranger = Client(factory.TokenFor("assistant3"));
        using var admin = Client(factory.TokenFor("admin"));

        var lessons = (await GetAsync(assistant, $"/api/pairings/{pairingId}/lessons?from={Today}&to={Today}")).AsArray();
        var lessonId = (string)Assert.Single(lessons)!["lessonId"]!;
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/pairings/{pairingId}/lessons")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync($"/api/pairings/{Guid.NewGuid()}/lessons")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await lead.GetAsync($"/api/pairings/{pairingId}/lessons?from=yesterday")).StatusCode);

        Assert.Equal(HttpStatusCode.Forbidden, (await assistant.PostAsync($"/api/pairings/{pairingId}/lessons/{lessonId}/open", null)).StatusCode);
        var classId = (string)(await PostAsync(lead, $"/api/pairings/{pairingId}/lessons/{lessonId}/open", new { }))["classId"]!;
        Assert.Equal(classId, (string?)(await PostAsync(lead, $"/api/pairings/{pairingId}/lessons/{lessonId}/open", new { }))["classId"]);

        Assert.Equal(HttpStatusCode.Forbidden,
            (await assistant.PostAsJsonAsync($"/api/pairings/{pairingId}/lessons/{lessonId}/progress", new { chapter = "第9课" })).StatusCode);
        var lesson = await PostAsync(lead, $"/api/pairings/{pairingId}/lessons/{lessonId}/progress", new { chapter = "第三单元 第9课 古诗三首" });
        Assert.Equal("第三单元 第9课 古诗三首", (string?)lesson["chapter"]);

        Assert.Equal(HttpStatusCode.Forbidden,
            (await lead.PostAsJsonAsync($"/api/pairings/{pairingId}/lessons/{lessonId}/evaluation", new { rating = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest,
            (await assistant.PostAsJsonAsync($"/api/pairings/{pairingId}/lessons/{lessonId}/evaluation", new { rating = 9 })).StatusCode);
        var evaluation = await PostAsync(assistant, $"/api/pairings/{pairingId}/lessons/{lessonId}/evaluation", new { rating = 4, comment = "画面清晰" });
        Assert.Equal(1, (int)evaluation["count"]!);
        Assert.Equal(4.0, (double)evaluation["average"]!);

        var attendance = await GetAsync(lead, $"/api/classes/{classId}/attendance");
        Assert.Equal(3, (int)attendance["expected"]!);
        // The class names each classroom's school: rural classrooms are often named alike.
        Assert.Equal<string?>(new[] { DemoOrg.LeadSchool }.Concat(DemoOrg.RuralSchools.Take(2)), attendance["classrooms"]!.AsArray().Select(c => (string?)c!["schoolName"]));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/classes/{classId}/attendance")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await assistant.GetAsync($"/api/classes/{classId}/attendance")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/classes/{classId}/attendance")).StatusCode);
    }

    [Fact]
    public async Task Timetable_PutByAdminGetByMember_RoundTripsAndStrangersRefused()
    {
        var pairingId = await CreatePairingAsync();
        await PutTimetableAsync(pairingId);

        using var assistant = Client(factory.TokenFor("assistant2"));
        var timetable = await GetAsync(assistant, $"/api/pairings/{pairingId}/timetable");
        Assert.Equal(7, timetable["slots"]!.AsArray().Count);
        Assert.Equal("Monday", (string?)timetable["slots"]![0]!["day"]);
        using var stranger = Client(factory.TokenFor("assistant3"));
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.GetAsync($"/api/pairings/{pairingId}/timetable")).StatusCode);
        using var researcher = Client(factory.TokenFor("researcher"));
        using var put = await researcher.PutAsJsonAsync($"/api/pairings/{pairingId}/timetable", TimetableBody());
        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
    }

    [Fact]
    public async Task Timetable_RuralSchoolAdmin_SeesAndRatesButWriteForbidden()
    {
        var pairingId = await CreatePairingAsync();
        await PutTimetableAsync(pairingId);
        var rural = factory.Org.Org(DemoOrg.RuralSchools[0]);
        using var ruralAdmin = Client(DemoOrg.PersonToken(factory.Tokens, Guid.CreateVersion7(), "村小校长", rural, [("school_admin", rural)]));

        using var put = await ruralAdmin.PutAsJsonAsync($"/api/pairings/{pairingId}/timetable", TimetableBody());
        var lessons = (await GetAsync(ruralAdmin, $"/api/pairings/{pairingId}/lessons?from={Today}&to={Today}")).AsArray();
        var evaluation = await PostAsync(ruralAdmin, $"/api/pairings/{pairingId}/lessons/{(string)Assert.Single(lessons)!["lessonId"]!}/evaluation", new { rating = 3 });

        Assert.Equal(HttpStatusCode.Forbidden, put.StatusCode);
        Assert.Equal("forbidden", (string?)(await BodyAsync(put))["error"]);
        Assert.Equal(7, (await GetAsync(ruralAdmin, $"/api/pairings/{pairingId}/timetable"))["slots"]!.AsArray().Count);
        Assert.Equal(3.0, (double)evaluation["average"]!);
    }

    [Theory]
    [InlineData("schooladmin")]
    [InlineData("admin")]
    public async Task Timetable_LeadSchoolOrCountyAdmin_WriteAllowed(string username)
    {
        var pairingId = await CreatePairingAsync();
        using var http = Client(factory.TokenFor(username));

        using var put = await http.PutAsJsonAsync($"/api/pairings/{pairingId}/timetable", TimetableBody());

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
    }

    [Fact]
    public async Task CreatePairing_SameLeadClassroomAndSubjectAgain_ConflictWithMessage()
    {
        var subject = UniqueSubject();
        var first = await CreatePairingAsync(subject);
        using var http = Client(factory.TokenFor("admin"));

        // The second click on 创建: same lead classroom, same subject, neither has a term yet.
        using var again = await http.PostAsJsonAsync("/api/pairings", PairingBody(subject));

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        var body = await BodyAsync(again);
        Assert.Equal("duplicate_pairing", (string?)body["error"]);
        Assert.Contains("三年级语文 1+2", (string?)body["messageZh"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)body["message"]));
        Assert.Equal(1, (await ListedAsync(factory.TokenFor("admin"))).Count(id => id == first));
        // Another subject at the same lead classroom is a pairing of its own.
        using var other = await http.PostAsJsonAsync("/api/pairings", PairingBody());
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
    }

    [Fact]
    public async Task PutTimetable_TermOverlapsSameLeadAndSubject_ConflictOtherwiseSaved()
    {
        var subject = UniqueSubject();
        var lastTerm = await CreatePairingAsync(subject);
        await PutTimetableAsync(lastTerm, RoomApiRequests.Timetable(fromDay: -90, toDay: -31));
        // Last term's pairing has ended: this term's pairing of the same lead classroom and subject may be created.
        var thisTerm = await CreatePairingAsync(subject);
        using var http = Client(factory.TokenFor("admin"));

        using var overlapping = await http.PutAsJsonAsync($"/api/pairings/{thisTerm}/timetable", RoomApiRequests.Timetable(fromDay: -40, toDay: 30));
        Assert.Equal(HttpStatusCode.Conflict, overlapping.StatusCode);
        Assert.Equal("duplicate_pairing", (string?)(await BodyAsync(overlapping))["error"]);

        using var following = await http.PutAsJsonAsync($"/api/pairings/{thisTerm}/timetable", RoomApiRequests.Timetable(fromDay: -20, toDay: 30));
        Assert.Equal(HttpStatusCode.OK, following.StatusCode);
        // A pairing's own timetable never collides with itself.
        using var again = await http.PutAsJsonAsync($"/api/pairings/{thisTerm}/timetable", RoomApiRequests.Timetable(fromDay: -25, toDay: 35));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task GetTimetable_NewPairing_OkAndEmpty()
    {
        var pairingId = await CreatePairingAsync();
        using var admin = Client(factory.TokenFor("admin"));

        using var response = await admin.GetAsync($"/api/pairings/{pairingId}/timetable");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("null", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task ListPairings_ClassroomsCarryTheirSchools()
    {
        var pairingId = await CreatePairingAsync();

        using var admin = Client(factory.TokenFor("admin"));
        var listed = (await GetAsync(admin, "/api/pairings")).AsArray().Single(p => (string?)p!["pairingId"] == pairingId)!;

        Assert.Equal(DemoOrg.LeadSchool, (string?)listed["leadClassroom"]!["schoolName"]);
        Assert.Equal<string?>(DemoOrg.RuralSchools.Take(2), listed["ruralClassrooms"]!.AsArray().Select(c => (string?)c!["schoolName"]));
    }

    [Fact]
    public async Task MyLessons_DeviceOfPairedClassroom_SeesTodaysLiveLessonWithClassId()
    {
        var pairingId = await CreatePairingAsync();
        await PutTimetableAsync(pairingId);
        using var lead = Client(factory.TokenFor("teacher"));
        var lessonId = (string)(await GetAsync(lead, $"/api/pairings/{pairingId}/lessons?from={Today}&to={Today}"))[0]!["lessonId"]!;
        var classId = (string)(await PostAsync(lead, $"/api/pairings/{pairingId}/lessons/{lessonId}/open", new { }))["classId"]!;

        using var device = Client(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        var mine = (await GetAsync(device, $"/api/me/lessons?date={Today}")).AsArray();
        var entry = mine.Single(x => (string?)x!["pairingId"] == pairingId)!;
        Assert.Equal(classId, (string?)entry["lesson"]!["classId"]);
        Assert.Equal("Live", (string?)entry["classState"]);
        Assert.Equal("Classroom", (string?)entry["role"]);

        using var unpaired = Client(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[2]));
        Assert.DoesNotContain((await GetAsync(unpaired, $"/api/me/lessons?date={Today}")).AsArray(), x => (string?)x!["pairingId"] == pairingId);

        using var admin = Client(factory.TokenFor("admin"));
        var asCounty = (await GetAsync(admin, "/api/rooms/live")).AsArray().Single(x => (string?)x!["classId"] == classId)!;
        Assert.Equal(3, asCounty["classrooms"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await lead.GetAsync("/api/rooms/live")).StatusCode);
        // A paired rural school's admin sees the class with its own classroom only, and only its people.
        using var ruralAdmin = Client(factory.TokenFor("schooladmin1"));
        var asRural = (await GetAsync(ruralAdmin, "/api/rooms/live")).AsArray().Single(x => (string?)x!["classId"] == classId)!;
        var ruralClassroom = factory.Org.ClassroomOf(DemoOrg.RuralSchools[0]).ToString();
        Assert.Equal([ruralClassroom], asRural["classrooms"]!.AsArray().Select(c => (string?)c!["classroomId"]));
        Assert.All(asRural["participants"]!.AsArray(), p => Assert.Equal(ruralClassroom, (string?)p!["classroomId"]));
    }

    [Fact]
    public async Task Attendance_ProbedUnknownClassIds_NotFoundAndNoRowWritten()
    {
        using var lead = Client(factory.TokenFor("teacher"));
        using var projector = Client(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        var before = await GrainRowsAsync();

        for (var i = 0; i < 30; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await lead.GetAsync($"/api/classes/probe-{Guid.NewGuid():N}/attendance")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await projector.GetAsync($"/api/classes/probe-{Guid.NewGuid():N}/attendance")).StatusCode);
        }

        Assert.Equal(before, await GrainRowsAsync());
    }

    private async Task<long> GrainRowsAsync()
    {
        await using var conn = new Npgsql.NpgsqlConnection(factory.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM grain_state", conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Apis_WithoutToken_Unauthorized()
    {
        using var http = factory.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/pairings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/me/lessons")).StatusCode);
    }

    // The fixture's pairings share one lead classroom: each its own subject, or the second would be a duplicate.
    private object PairingBody(string? subject = null) => RoomApiRequests.Pairing(factory.Org, 2, subject ?? UniqueSubject());

    private static string UniqueSubject() => "语文 " + Guid.NewGuid().ToString("N")[..8];

    private static object TimetableBody() => RoomApiRequests.Timetable();

    private async Task<string> CreatePairingAsync(string? subject = null)
    {
        using var http = Client(factory.TokenFor("admin"));
        using var response = await http.PostAsJsonAsync("/api/pairings", PairingBody(subject));
        var body = await BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToJsonString());
        return (string)body["pairingId"]!;
    }

    private async Task PutTimetableAsync(string pairingId, object? timetable = null)
    {
        using var http = Client(factory.TokenFor("admin"));
        using var response = await http.PutAsJsonAsync($"/api/pairings/{pairingId}/timetable", timetable ?? TimetableBody());
        Assert.True(response.StatusCode == HttpStatusCode.OK, (await BodyAsync(response)).ToJsonString());
    }

    private async Task<List<string>> ListedAsync(string token)
    {
        using var http = Client(token);
        return [.. (await GetAsync(http, "/api/pairings")).AsArray().Select(p => (string)p!["pairingId"]!)];
    }

    private HttpClient Client(string token)
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, string url)
    {
        using var response = await http.GetAsync(url);
        var body = await BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {body.ToJsonString()}");
        return body;
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string url, object payload)
    {
        using var response = await http.PostAsJsonAsync(url, payload);
        var body = await BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {url}: {(int)response.StatusCode} {body.ToJsonString()}");
        return body;
    }

    private static async Task<JsonNode> BodyAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? new JsonObject();
}
