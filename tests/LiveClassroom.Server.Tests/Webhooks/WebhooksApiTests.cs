using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LiveClassroom.Server.Tests.Hubs;

namespace LiveClassroom.Server.Tests.Webhooks;

/// <summary>Who may manage an organisation's webhooks, what input is refused, and that the secret is shown once.</summary>
public sealed class WebhooksApiTests(WebhookServerFactory f) : IClassFixture<WebhookServerFactory>
{
    private const string Url = "https://dc.example.cn/hooks/liveclassroom";

    private HttpClient Client(string username)
    {
        var client = f.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", f.TokenFor(username));
        return client;
    }

    [Fact]
    public async Task Create_SchoolAdminForAnotherSchool_Forbidden()
    {
        using var admin = Client("schooladmin");

        using var response = await admin.PostAsJsonAsync("/api/webhooks",
            new { organisationId = f.Org.Org(DemoOrg.RuralSchools[0]), url = Url, events = new[] { "class.ended" } });

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Create_CountyAdminForASchoolBelow_ForbiddenBecauseHooksBelongToTheAdminsOwnLevel()
    {
        using var admin = Client("admin");

        using var response = await admin.PostAsJsonAsync("/api/webhooks",
            new { organisationId = f.Org.Org(DemoOrg.LeadSchool), url = Url, events = new[] { "class.ended" } });

        await JsonAssert.ErrorAsync(response, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Teacher_CannotRegisterOrList()
    {
        using var teacher = Client("teacher");

        using var created = await teacher.PostAsJsonAsync("/api/webhooks",
            new { organisationId = f.Org.Org(DemoOrg.LeadSchool), url = Url, events = new[] { "class.ended" } });
        using var listed = await teacher.GetAsync("/api/webhooks");

        await JsonAssert.ErrorAsync(created, HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(listed, HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Create_PlainHttpUrl_400SayingHttpsIsRequired()
    {
        using var admin = Client("schooladmin");

        using var response = await admin.PostAsJsonAsync("/api/webhooks",
            new { organisationId = f.Org.Org(DemoOrg.LeadSchool), url = "http://dc.example.cn/hook", events = new[] { "class.ended" } });

        var error = await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("https_required", error.GetProperty("fields").GetProperty("url").GetString());
        Assert.Contains("https://", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_UnknownEvent_400NamingIt()
    {
        using var admin = Client("schooladmin");

        using var response = await admin.PostAsJsonAsync("/api/webhooks",
            new { organisationId = f.Org.Org(DemoOrg.LeadSchool), url = Url, events = new[] { "class.ended", "class.exploded" } });

        var error = await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("unknown_event", error.GetProperty("fields").GetProperty("events[1]").GetString());
        Assert.Contains("class.exploded", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_NoEvents_400()
    {
        using var admin = Client("schooladmin");

        using var response = await admin.PostAsJsonAsync("/api/webhooks",
            new { organisationId = f.Org.Org(DemoOrg.LeadSchool), url = Url, events = Array.Empty<string>() });

        var error = await JsonAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Equal("required", error.GetProperty("fields").GetProperty("events").GetString());
    }

    [Fact]
    public async Task Secret_ShownOnCreateOnly_NeverListedAndOtherSchoolsAdminCannotTouchTheHook()
    {
        using var admin = Client("schooladmin");
        using var other = Client("schooladmin1");
        using var created = await admin.PostAsJsonAsync("/api/webhooks",
            new { organisationId = f.Org.Org(DemoOrg.LeadSchool), url = Url, events = new[] { "recording.ready", "review.decided" }, description = "区数据中心" });
        var body = await JsonAssert.StatusAsync(created, HttpStatusCode.Created);
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("webhook").GetProperty("id").GetGuid();
        try
        {
            Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

            using var list = await admin.GetAsync("/api/webhooks");
            var text = await list.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
            Assert.Contains(id.ToString(), text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", text, StringComparison.Ordinal);
            using var patched = await admin.PatchAsJsonAsync($"/api/webhooks/{id}", new { enabled = false });
            var hook = await JsonAssert.StatusAsync(patched, HttpStatusCode.OK);
            Assert.False(hook.GetProperty("enabled").GetBoolean());
            Assert.DoesNotContain(secret, hook.GetRawText(), StringComparison.Ordinal);

            await JsonAssert.ErrorAsync(await other.PatchAsJsonAsync($"/api/webhooks/{id}", new { enabled = true }), HttpStatusCode.Forbidden, "forbidden");
            await JsonAssert.ErrorAsync(await other.GetAsync($"/api/webhooks/{id}/deliveries"), HttpStatusCode.Forbidden, "forbidden");
            await JsonAssert.ErrorAsync(await other.DeleteAsync($"/api/webhooks/{id}"), HttpStatusCode.Forbidden, "forbidden");
            var otherList = await JsonAssert.StatusAsync(await other.GetAsync("/api/webhooks"), HttpStatusCode.OK);
            Assert.DoesNotContain(id.ToString(), otherList.GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/webhooks/{id}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/webhooks/{id}/deliveries")).StatusCode);
    }
}
