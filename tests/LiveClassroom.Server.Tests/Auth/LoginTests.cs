using System.Buffers.Text;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Auth;

public sealed class LoginTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    [Fact]
    public async Task Login_RightPassword_ReturnsTokenAndPersonWithRoles()
    {
        using var client = factory.Anonymous();

        using var response = await client.PostAsJsonAsync("/api/auth/login", new { username = "Teacher ", password = AccountsServerFactory.DemoPassword });

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("token").GetString()));
        var expiresAt = json.GetProperty("expiresAt").GetDateTimeOffset();
        Assert.InRange(expiresAt - factory.Clock.GetUtcNow(), TimeSpan.FromHours(11.9), TimeSpan.FromHours(12.1));
        var person = json.GetProperty("person");
        Assert.Equal("teacher", person.GetProperty("username").GetString());
        Assert.Equal("王芳", person.GetProperty("displayName").GetString());
        Assert.Equal("示范县第一实验小学", person.GetProperty("organisationName").GetString());
        var role = Assert.Single(person.GetProperty("roles").EnumerateArray());
        Assert.Equal("lead_teacher", role.GetProperty("role").GetString());
        Assert.Equal(await factory.OrganisationIdAsync("示范县第一实验小学"), role.GetProperty("organisationId").GetGuid());
    }

    [Fact]
    public async Task Login_WrongPassword_Returns401InvalidCredentials()
    {
        using var client = factory.Anonymous();

        using var response = await client.PostAsJsonAsync("/api/auth/login", new { username = "researcher", password = "not-the-password" });

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task Login_UnknownUser_ReturnsTheSameAnswerAsAWrongPassword()
    {
        using var client = factory.Anonymous();

        using var unknown = await client.PostAsJsonAsync("/api/auth/login", new { username = "nobody-here", password = "whatever-123" });
        using var wrong = await client.PostAsJsonAsync("/api/auth/login", new { username = "researcher", password = "whatever-123" });

        var a = await JsonAssert.ErrorAsync(unknown, HttpStatusCode.Unauthorized, "invalid_credentials");
        var b = await JsonAssert.ErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_credentials");
        Assert.Equal(b.GetRawText(), a.GetRawText());
    }

    [Fact]
    public async Task Login_MissingFields_Returns400WithFields()
    {
        using var client = factory.Anonymous();

        using var response = await client.PostAsJsonAsync("/api/auth/login", new { username = "" });

        var json = await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("required", json.GetProperty("fields").GetProperty("username").GetString());
        Assert.Equal("required", json.GetProperty("fields").GetProperty("password").GetString());
    }

    [Fact]
    public async Task Login_MalformedJson_Returns400BadRequest()
    {
        using var client = factory.Anonymous();

        using var response = await client.PostAsync("/api/auth/login", new StringContent("{not json", Encoding.UTF8, "application/json"));

        await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Login_DeactivatedPerson_IsRefusedAndItsOldTokenStopsWorking()
    {
        var oldToken = await factory.LoginAsync("assistant3");
        using var admin = await factory.ClientForAsync("admin");
        using var me = await factory.WithToken(oldToken).GetAsync("/api/me");
        var id = (await JsonAssert.StatusAsync(me, HttpStatusCode.OK)).GetProperty("id").GetGuid();

        using var patch = await admin.PatchAsJsonAsync($"/api/people/{id}", new { isActive = false });
        await JsonAssert.StatusAsync(patch, HttpStatusCode.OK);

        using var anonymous = factory.Anonymous();
        using var login = await anonymous.PostAsJsonAsync("/api/auth/login", new { username = "assistant3", password = AccountsServerFactory.DemoPassword });
        await JsonAssert.ErrorAsync(login, HttpStatusCode.Forbidden, "account_inactive");
        using var again = await factory.WithToken(oldToken).GetAsync("/api/me");
        await JsonAssert.ErrorAsync(again, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Me_PersonToken_ReturnsThePersonObject()
    {
        using var client = await factory.ClientForAsync("admin");

        using var response = await client.GetAsync("/api/me");

        var json = await JsonAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal("person", json.GetProperty("kind").GetString());
        Assert.Equal("admin", json.GetProperty("username").GetString());
        Assert.Equal("county_admin", json.GetProperty("roles")[0].GetProperty("role").GetString());
        Assert.Equal("示范县", json.GetProperty("roles")[0].GetProperty("organisationName").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/me")]
    [InlineData("GET", "/api/organisations")]
    [InlineData("GET", "/api/people")]
    [InlineData("POST", "/api/people")]
    [InlineData("GET", "/api/devices")]
    [InlineData("GET", "/api/devices/me")]
    [InlineData("POST", "/api/devices/pair")]
    [InlineData("GET", "/api/audit")]
    public async Task Api_WithoutToken_Returns401(string method, string path)
    {
        using var client = factory.Anonymous();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = JsonContent.Create(new { }) });

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Me_TamperedToken_Returns401()
    {
        var token = await factory.LoginAsync("teacher");
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        var payload = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Base64Url.DecodeFromChars(token.AsSpan(0, dot)))!;
        var county = await factory.OrganisationIdAsync("示范县");
        // Grant ourselves county admin but keep the original signature.
        var forged = new Dictionary<string, object>(payload.Select(kv => new KeyValuePair<string, object>(kv.Key, kv.Value)))
        {
            ["lc:role"] = new[] { $"county_admin@{county}" },
        };
        var tampered = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(forged)) + token[dot..];

        using var response = await factory.WithToken(tampered).GetAsync("/api/people");

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("abc.def")]
    [InlineData("eyJzdWIiOiJ4In0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Me_ForgedToken_Returns401(string token)
    {
        using var response = await factory.WithToken(token).GetAsync("/api/me");

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task ChangePassword_RightCurrentPassword_NewPasswordLogsIn()
    {
        using var client = factory.WithToken(await factory.LoginAsync("assistant2"));

        using var wrong = await client.PostAsJsonAsync("/api/me/password", new { currentPassword = "nope-nope", newPassword = "short" });
        var error = await JsonAssert.ErrorAsync(wrong, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("invalid", error.GetProperty("fields").GetProperty("currentPassword").GetString());
        Assert.Equal("too_short", error.GetProperty("fields").GetProperty("newPassword").GetString());

        using var ok = await client.PostAsJsonAsync("/api/me/password",
            new { currentPassword = AccountsServerFactory.DemoPassword, newPassword = "新的密码-2026" });
        await JsonAssert.StatusAsync(ok, HttpStatusCode.NoContent);
        Assert.False(string.IsNullOrEmpty(await factory.LoginAsync("assistant2", "新的密码-2026")));
    }

    [Fact]
    public async Task Logout_PersonToken_TheTokenIsRefusedAfterwardsButANewLoginWorks()
    {
        var token = await factory.LoginAsync("schooladmin");
        factory.Clock.Advance(TimeSpan.FromSeconds(1));
        using var client = factory.WithToken(token);

        await JsonAssert.StatusAsync(await client.PostAsync("/api/auth/logout", null), HttpStatusCode.NoContent);

        await JsonAssert.ErrorAsync(await client.GetAsync("/api/me"), HttpStatusCode.Unauthorized, "unauthorized");
        using var fresh = factory.WithToken(await factory.LoginAsync("schooladmin"));
        await JsonAssert.StatusAsync(await fresh.GetAsync("/api/me"), HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/devices?schoolId=not-a-guid", HttpStatusCode.BadRequest, "bad_request")]
    [InlineData("/api/people?page=x", HttpStatusCode.BadRequest, "bad_request")]
    [InlineData("/api/people/not-a-guid", HttpStatusCode.NotFound, "not_found")]
    public async Task Api_MalformedRouteOrQuery_AnswersInTheErrorShape(string path, HttpStatusCode status, string code)
    {
        using var client = await factory.ClientForAsync("admin");

        using var response = await client.GetAsync(path);

        await JsonAssert.ErrorAsync(response, status, code);
    }
}
