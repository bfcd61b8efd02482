using System.Text;
using LiveClassroom.Server.Apis;

namespace LiveClassroom.Server.Tests.Platform;

public sealed class TeacherCsvTests
{
    private static (List<Server.Apis.Contracts.TeacherCsvRow> Rows, List<Server.Apis.Contracts.ImportProblem> Problems) Parse(string text, bool bom = true, bool rural = false)
    {
        var bytes = (bom ? Encoding.UTF8.GetPreamble() : []).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        return TeacherCsv.Parse(bytes, rural);
    }

    private static string Codes(IEnumerable<Server.Apis.Contracts.ImportProblem> problems) =>
        string.Join(" ", problems.Select(p => $"{p.Line}:{p.Field}:{p.Code}"));

    [Fact]
    public void Parse_BomQuotedCommaQuoteAndLineBreak_ReadsFieldsAndKeepsLineNumbers()
    {
        var (rows, problems) = Parse("姓名,手机号,学科,学段\r\n\"王 \"\"小\"\" 芳\",13800000001,\"语文,\r\n书法\",小学\r\n李雷,+8613800000002,数学,初中\r\n");

        Assert.Empty(problems);
        Assert.Equal(2, rows.Count);
        Assert.Equal("王 \"小\" 芳", rows[0].DisplayName);
        Assert.Equal("语文,\r\n书法", rows[0].Subject);
        Assert.Equal(2, rows[0].Line);
        Assert.Equal(4, rows[1].Line);
        Assert.Equal(("8613800000002", "junior", "lead_teacher"), (rows[1].Username, rows[1].Stage, rows[1].Role));
    }

    [Fact]
    public void Parse_WithoutBomEnglishHeadersAnyOrder_RuralSchoolDefaultsToAssistant()
    {
        var (rows, problems) = Parse("stage,subject,staff number,name\nsenior,Physics,AB-9,Li Lei\n\n", bom: false, rural: true);

        Assert.Empty(problems);
        var row = Assert.Single(rows);
        Assert.Equal(("ab-9", "AB-9", "assistant_teacher", "senior"), (row.Username, row.StaffNumber, row.Role, row.Stage));
    }

    [Fact]
    public void Parse_HeaderProblems_ReportedBeforeAnyRow()
    {
        var (rows, problems) = Parse("姓名,年龄,姓名\n张三,30,张三\n");

        Assert.Empty(rows);
        Assert.Equal("1:年龄:unknown_column 1:displayName:duplicate_column 1:subject:missing_column 1:stage:missing_column 1:phone:missing_column",
            Codes(problems));
    }

    [Fact]
    public void Parse_NotUtf8_OneFileProblem()
    {
        var gbk = new byte[] { 0xD0, 0xD5, 0xC3, 0xFB, 0x2C, 0x0A };

        var (rows, problems) = TeacherCsv.Parse(gbk, false);

        Assert.Empty(rows);
        Assert.Equal("0:file:not_utf8", Codes(problems));
    }

    [Fact]
    public void Parse_RowProblems_EveryFieldOfEveryRowReported()
    {
        var (rows, problems) = Parse(
            "姓名,手机号,工号,学科,学段,角色,用户名\n" +
            "甲,12ab,,语文,小学,,\n" +
            "乙,13800000002,,语文,小学,主讲教师,Bad Name\n" +
            "丙,13800000003,,语文,小学,,,extra\n" +
            "丁,13800000004,S1,语文,小学,辅助教师,\n" +
            "戊,13800000005,S1,语文,小学,,\n");

        Assert.Equal("2:phone:invalid_format 3:username:invalid_format 4:row:too_many_fields 6:staffNumber:duplicate_in_file", Codes(problems));
        var row = Assert.Single(rows);
        Assert.Equal(("13800000004", "assistant_teacher"), (row.Username, row.Role));
    }

    [Fact]
    public void Parse_UnterminatedQuoteOrNoRowsOrTooMany_FileProblems()
    {
        Assert.Equal("2:file:unterminated_quote", Codes(Parse("姓名,手机号,学科,学段\n\"张三,13800000001,语文,小学\n").Problems));
        Assert.Equal("0:file:no_rows", Codes(Parse("姓名,手机号,学科,学段\r\n").Problems));
        Assert.Equal("0:file:empty", Codes(Parse("").Problems));
        var many = new StringBuilder("姓名,手机号,学科,学段\n");
        for (var i = 0; i <= TeacherCsv.MaxRows; i++)
        {
            many.Append(System.Globalization.CultureInfo.InvariantCulture, $"人{i},138{i:D8},语文,小学\n");
        }
        Assert.Equal("0:file:too_many_rows", Codes(Parse(many.ToString()).Problems));
    }
}
