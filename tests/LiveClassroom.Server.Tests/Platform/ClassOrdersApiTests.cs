using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Platform;

public sealed class ClassOrdersApiTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    private async Task<Guid> PersonIdAsync(string username)
    {
        factory.EnsureStarted();
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("SELECT id FROM people WHERE username = @u");
        cmd.Parameters.AddWithValue("u", username);
        return (Guid)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<object> OrderAsync(string ruralSchool, string subject) => new
    {
        ruralClassroomId = await factory.ClassroomIdAsync(ruralSchool), subject, grade = "三年级", textbookEdition = "人教版",
        termName = "2027 春季学期", termStart = "2027-03-01", termEnd = "2027-03-31",
        slots = new[] { new { day = 1, start = "09:00", durationMinutes = 40 }, new { day = 3, start = "10:00", durationMinutes = 40 } },
    };

    [Fact]
    public async Task Order_AcceptedByALeadSchoolConfirmedByTheCounty_DefinesThePairingAndItsTimetable()
    {
        using var rural = await factory.ClientForAsync("schooladmin1");
        using var lead = await factory.ClientForAsync("schooladmin");
        using var county = await factory.ClientForAsync("admin");
        var created = await JsonAssert.StatusAsync(await rural.PostAsJsonAsync("/api/class-orders", await OrderAsync("青山村小学", "音乐")),
            HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(("open", 2), (created.GetProperty("status").GetString(), created.GetProperty("weeklyPeriods").GetInt32()));

        var open = await JsonAssert.StatusAsync(await lead.GetAsync("/api/class-orders?status=open"), HttpStatusCode.OK);
        Assert.Contains(open.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetGuid() == id);
        await JsonAssert.ErrorAsync(await county.PostAsync($"/api/class-orders/{id}/confirm", null), HttpStatusCode.Conflict, "invalid_state");
        var accepted = await JsonAssert.StatusAsync(await lead.PostAsJsonAsync($"/api/class-orders/{id}/accept", new
        {
            leadClassroomId = await factory.ClassroomIdAsync("示范县第一实验小学"), leadTeacherId = await PersonIdAsync("teacher"),
        }), HttpStatusCode.OK);
        Assert.Equal("王芳", accepted.GetProperty("leadTeacherName").GetString());
        await JsonAssert.ErrorAsync(await lead.PostAsync($"/api/class-orders/{id}/confirm", null), HttpStatusCode.Forbidden, "forbidden");

        var confirmed = await JsonAssert.StatusAsync(await county.PostAsync($"/api/class-orders/{id}/confirm", null), HttpStatusCode.OK);
        var pairingId = confirmed.GetProperty("pairingId").GetString();
        Assert.Equal("confirmed", confirmed.GetProperty("status").GetString());
        await JsonAssert.ErrorAsync(await county.PostAsync($"/api/class-orders/{id}/confirm", null), HttpStatusCode.Conflict, "invalid_state");

        // March 2027: 5 Mondays and 5 Wednesdays.
        var lessons = await JsonAssert.StatusAsync(await county.GetAsync($"/api/pairings/{pairingId}/lessons"), HttpStatusCode.OK);
        Assert.Equal(10, lessons.GetArrayLength());
        using var teacher = await factory.ClientForAsync("teacher");
        var teachers = await JsonAssert.StatusAsync(await teacher.GetAsync("/api/pairings"), HttpStatusCode.OK);
        Assert.Contains(teachers.EnumerateArray(), p => p.GetProperty("pairingId").GetString() == pairingId);

        var gap = await JsonAssert.StatusAsync(
            await county.GetAsync($"/api/class-orders/gap?countyId={await factory.OrganisationIdAsync("示范县")}"), HttpStatusCode.OK);
        var row = Assert.Single(gap.GetProperty("rows").EnumerateArray(), r => r.GetProperty("subject").GetString() == "音乐");
        Assert.Equal((0, 0, 1), (row.GetProperty("open").GetInt32(), row.GetProperty("accepted").GetInt32(), row.GetProperty("confirmed").GetInt32()));
        var audit = await JsonAssert.StatusAsync(
            await county.GetAsync($"/api/audit?organisationId={await factory.OrganisationIdAsync("示范县")}"), HttpStatusCode.OK);
        var actions = audit.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("class_order.accept", actions);
        Assert.Contains("class_order.confirm", actions);
    }

    [Fact]
    public async Task Rights_EachStepBelongsToItsLevel()
    {
        using var lead = await factory.ClientForAsync("schooladmin");
        using var otherRural = await factory.ClientForAsync("schooladmin2");
        using var teacher = await factory.ClientForAsync("teacher");

        // Another school's admin cannot order for 青山村小学, and an urban school does not order.
        await JsonAssert.ErrorAsync(await otherRural.PostAsJsonAsync("/api/class-orders", await OrderAsync("青山村小学", "美术")),
            HttpStatusCode.Forbidden, "forbidden");
        var urban = await JsonAssert.ErrorAsync(await lead.PostAsJsonAsync("/api/class-orders", await OrderAsync("示范县第一实验小学", "美术")),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("not_rural", urban.GetProperty("fields").GetProperty("ruralClassroomId").GetString());
        await JsonAssert.ErrorAsync(await teacher.GetAsync("/api/class-orders"), HttpStatusCode.Forbidden, "forbidden");

        using var rural = await factory.ClientForAsync("schooladmin1");
        var id = (await JsonAssert.StatusAsync(await rural.PostAsJsonAsync("/api/class-orders", await OrderAsync("青山村小学", "美术")),
            HttpStatusCode.Created)).GetProperty("id").GetGuid();
        // Another rural school's admin does not even see the order, so cannot accept it naming a lead classroom.
        await JsonAssert.ErrorAsync(await otherRural.PostAsJsonAsync($"/api/class-orders/{id}/accept", new
        {
            leadClassroomId = await factory.ClassroomIdAsync("示范县第一实验小学"), leadTeacherId = await PersonIdAsync("teacher"),
        }), HttpStatusCode.NotFound, "not_found");
        var seen = await JsonAssert.StatusAsync(await otherRural.GetAsync("/api/class-orders"), HttpStatusCode.OK);
        Assert.DoesNotContain(seen.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetGuid() == id);
        var notTeacher = await JsonAssert.ErrorAsync(await lead.PostAsJsonAsync($"/api/class-orders/{id}/accept", new
        {
            leadClassroomId = await factory.ClassroomIdAsync("示范县第一实验小学"), leadTeacherId = await PersonIdAsync("assistant1"),
        }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal("invalid", notTeacher.GetProperty("fields").GetProperty("leadTeacherId").GetString());
    }

    [Fact]
    public async Task Create_BadInput_NamesEveryField()
    {
        using var rural = await factory.ClientForAsync("schooladmin1");

        var json = await JsonAssert.ErrorAsync(await rural.PostAsJsonAsync("/api/class-orders", new
        {
            ruralClassroomId = Guid.NewGuid(), subject = "", grade = "三年级", textbookEdition = "人教版", termName = "春",
            termStart = "2027-03-01", termEnd = "2027-02-01",
            slots = new[] { new { day = 8, start = "09:00", durationMinutes = 40 }, new { day = 1, start = "9am", durationMinutes = 40 } },
        }), HttpStatusCode.BadRequest, "validation");

        var fields = json.GetProperty("fields");
        Assert.Equal("invalid", fields.GetProperty("ruralClassroomId").GetString());
        Assert.Equal("required", fields.GetProperty("subject").GetString());
        Assert.Equal("invalid", fields.GetProperty("termEnd").GetString());
        Assert.Equal("invalid", fields.GetProperty("slots[0].day").GetString());
        Assert.Equal("invalid_format", fields.GetProperty("slots[1].start").GetString());
    }
}
