using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Platform;

public sealed class TeacherImportApiTests(AccountsServerFactory factory) : IClassFixture<AccountsServerFactory>
{
    /// <summary>The bytes a spreadsheet saves as "CSV UTF-8": a BOM, CRLF line ends.</summary>
    private static ByteArrayContent Csv(params string[] lines)
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(string.Join("\r\n", lines) + "\r\n")).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("text/csv");
        return content;
    }

    private async Task<long> PeopleCountAsync()
    {
        await using var ds = factory.Database.CreateDataSource();
        await using var cmd = ds.CreateCommand("SELECT count(*) FROM people");
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task DryRunThenImport_FileWithBadRows_ListsEveryProblemAndImportsNothing()
    {
        var school = await factory.OrganisationIdAsync("示范县第一实验小学");
        using var admin = await factory.ClientForAsync("schooladmin");
        var before = await PeopleCountAsync();
        string[] file =
        [
            "姓名,手机号,工号,学科,学段,角色,用户名",
            "张三,13800000011,,语文,小学,,",
            ",13800000012,,数学,小学,,",
            "李四,,,英语,小学,,",
            "王五,13800000014,,,大学,校长,",
            "赵六,13800000015,,音乐,初中,,teacher",
            "孙七,13800000016,,美术,小学,,zhangsan.dup",
            "周八,13800000017,,美术,小学,,zhangsan.dup",
        ];

        var dry = await JsonAssert.StatusAsync(await admin.PostAsync($"/api/organisations/{school}/teachers/import", Csv(file)), HttpStatusCode.OK);

        Assert.False(dry.GetProperty("valid").GetBoolean());
        var problems = dry.GetProperty("problems").EnumerateArray()
            .Select(p => $"{p.GetProperty("line").GetInt32()}:{p.GetProperty("field").GetString()}:{p.GetProperty("code").GetString()}").ToList();
        Assert.Equal<string>(
        [
            "3:displayName:required",
            "4:phone:phone_or_staff_number_required",
            "5:role:invalid", "5:stage:invalid", "5:subject:required",
            "6:username:taken",
            "8:username:duplicate_in_file",
        ], problems);
        var rows = dry.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("username").GetString()).ToList();
        Assert.Equal<string?>(["13800000011", "zhangsan.dup"], rows);

        var refused = await JsonAssert.ErrorAsync(
            await admin.PostAsync($"/api/organisations/{school}/teachers/import?dryRun=false", Csv(file)), HttpStatusCode.BadRequest, "import_invalid");
        Assert.Equal(7, refused.GetProperty("problems").GetArrayLength());
        Assert.Equal(before, await PeopleCountAsync());
    }

    [Fact]
    public async Task Import_ValidFile_CreatesAccountsWhoseOneTimePasswordMustBeChangedFirst()
    {
        var school = await factory.OrganisationIdAsync("青山村小学");
        using var admin = await factory.ClientForAsync("schooladmin1");
        string[] file = ["name,staffNumber,subject,stage", "\"欧阳, 春\",QS-01,音乐,primary", "钱多多,QS-02,体育,小学"];

        var dry = await JsonAssert.StatusAsync(await admin.PostAsync($"/api/organisations/{school}/teachers/import", Csv(file)), HttpStatusCode.OK);
        Assert.True(dry.GetProperty("valid").GetBoolean());
        var result = await JsonAssert.StatusAsync(
            await admin.PostAsync($"/api/organisations/{school}/teachers/import?dryRun=false", Csv(file)), HttpStatusCode.Created);

        var created = result.GetProperty("created").EnumerateArray().ToList();
        Assert.Equal(2, created.Count);
        Assert.Equal(("欧阳, 春", "qs-01", "assistant_teacher"), (created[0].GetProperty("displayName").GetString(),
            created[0].GetProperty("username").GetString(), created[0].GetProperty("role").GetString()));
        var oneTime = created[0].GetProperty("oneTimePassword").GetString()!;
        using var anon = factory.Anonymous();
        var login = await JsonAssert.StatusAsync(await anon.PostAsJsonAsync("/api/auth/login", new { username = "qs-01", password = oneTime }), HttpStatusCode.OK);
        Assert.True(login.GetProperty("mustChangePassword").GetBoolean());
        using var restricted = factory.WithToken(login.GetProperty("token").GetString()!);
        await JsonAssert.ErrorAsync(await restricted.GetAsync("/api/organisations"), HttpStatusCode.Forbidden, "password_change_required");
        using var changed = await restricted.PostAsJsonAsync("/api/me/password", new { currentPassword = oneTime, newPassword = "my-own-password" });
        await JsonAssert.StatusAsync(changed, HttpStatusCode.NoContent);
        var again = await JsonAssert.StatusAsync(
            await anon.PostAsJsonAsync("/api/auth/login", new { username = "qs-01", password = "my-own-password" }), HttpStatusCode.OK);
        Assert.False(again.GetProperty("mustChangePassword").GetBoolean());
        using var full = factory.WithToken(again.GetProperty("token").GetString()!);
        await JsonAssert.StatusAsync(await full.GetAsync("/api/organisations"), HttpStatusCode.OK);

        // The same file again: every row is now taken, and nothing more is created.
        var second = await JsonAssert.StatusAsync(await admin.PostAsync($"/api/organisations/{school}/teachers/import", Csv(file)), HttpStatusCode.OK);
        Assert.Equal(4, second.GetProperty("problems").GetArrayLength());
        var audit = await JsonAssert.StatusAsync(await admin.GetAsync($"/api/audit?organisationId={school}"), HttpStatusCode.OK);
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "person.import");
    }

    [Fact]
    public async Task Import_AnotherSchoolsAdminOrATeacher_Forbidden_ACountyIsNotASchool()
    {
        var school = await factory.OrganisationIdAsync("示范县第一实验小学");
        using var other = await factory.ClientForAsync("schooladmin2");
        using var teacher = await factory.ClientForAsync("teacher");
        string[] file = ["姓名,手机号,学科,学段", "某人,13800000099,语文,小学"];

        await JsonAssert.ErrorAsync(await other.PostAsync($"/api/organisations/{school}/teachers/import", Csv(file)), HttpStatusCode.Forbidden, "forbidden");
        await JsonAssert.ErrorAsync(await teacher.PostAsync($"/api/organisations/{school}/teachers/import", Csv(file)), HttpStatusCode.Forbidden, "forbidden");
        using var county = await factory.ClientForAsync("admin");
        var json = await JsonAssert.ErrorAsync(
            await county.PostAsync($"/api/organisations/{await factory.OrganisationIdAsync("示范县")}/teachers/import", Csv(file)),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("not_a_school", json.GetProperty("fields").GetProperty("id").GetString());
    }
}
