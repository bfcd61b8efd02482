using System.Text;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// Reads a school's teacher list as spreadsheets save it: UTF-8 (with or without a BOM), comma-separated, fields quoted
/// per RFC 4180 §2 (a quoted field may hold commas, line breaks and doubled quotes), CRLF or LF line ends. The header
/// names the columns in Chinese or English, in any order. Every problem of every row is reported, none stops the read.
/// </summary>
public static class TeacherCsv
{
    public const int MaxRows = 300;

    private static readonly Dictionary<string, string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["姓名"] = "displayName", ["真实姓名"] = "displayName", ["name"] = "displayName", ["displayName"] = "displayName",
        ["用户名"] = "username", ["账号"] = "username", ["username"] = "username",
        ["手机号"] = "phone", ["手机"] = "phone", ["电话"] = "phone", ["phone"] = "phone",
        ["工号"] = "staffNumber", ["教师编号"] = "staffNumber", ["staffNumber"] = "staffNumber", ["staff number"] = "staffNumber",
        ["学科"] = "subject", ["任教学科"] = "subject", ["subject"] = "subject",
        ["学段"] = "stage", ["stage"] = "stage",
        ["角色"] = "role", ["role"] = "role",
    };

    /// <summary>The rows that passed every check, and the problems of the others (a row with any problem is not in Rows).</summary>
    public static (List<TeacherCsvRow> Rows, List<ImportProblem> Problems) Parse(ReadOnlySpan<byte> bytes, bool schoolIsRural)
    {
        var rows = new List<TeacherCsvRow>();
        var problems = new List<ImportProblem>();
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            problems.Add(new(0, "file", "not_utf8"));
            return (rows, problems);
        }
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }
        var records = Split(text, problems);
        records.RemoveAll(r => r.Fields.All(string.IsNullOrWhiteSpace));
        if (records.Count == 0)
        {
            problems.Add(new(0, "file", "empty"));
            return (rows, problems);
        }
        var header = records[0];
        var keys = new string?[header.Fields.Count];
        for (var i = 0; i < header.Fields.Count; i++)
        {
            var name = header.Fields[i].Trim();
            if (!Columns.TryGetValue(name, out var key))
            {
                problems.Add(new(header.Line, name.Length == 0 ? $"column{i + 1}" : name, "unknown_column"));
            }
            else if (keys.Contains(key))
            {
                problems.Add(new(header.Line, key, "duplicate_column"));
            }
            else
            {
                keys[i] = key;
            }
        }
        foreach (var required in new[] { "displayName", "subject", "stage" })
        {
            if (!keys.Contains(required))
            {
                problems.Add(new(header.Line, required, "missing_column"));
            }
        }
        if (!keys.Contains("phone") && !keys.Contains("staffNumber"))
        {
            problems.Add(new(header.Line, "phone", "missing_column"));
        }
        if (problems.Count > 0)
        {
            return (rows, problems);
        }
        if (records.Count - 1 > MaxRows)
        {
            problems.Add(new(0, "file", "too_many_rows"));
            return (rows, problems);
        }
        if (records.Count == 1)
        {
            problems.Add(new(0, "file", "no_rows"));
            return (rows, problems);
        }
        var usernames = new Dictionary<string, int>(StringComparer.Ordinal);
        var staffNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var record in records.Skip(1))
        {
            if (ReadRow(record, keys, schoolIsRural, problems) is not { } row)
            {
                continue;
            }
            var ok = true;
            if (!usernames.TryAdd(row.Username, row.Line))
            {
                problems.Add(new(row.Line, "username", "duplicate_in_file"));
                ok = false;
            }
            if (row.StaffNumber is { } staff && !staffNumbers.TryAdd(staff, row.Line))
            {
                problems.Add(new(row.Line, "staffNumber", "duplicate_in_file"));
                ok = false;
            }
            if (ok)
            {
                rows.Add(row);
            }
        }
        return (rows, problems);
    }

    private static TeacherCsvRow? ReadRow(Record record, string?[] keys, bool schoolIsRural, List<ImportProblem> problems)
    {
        var line = record.Line;
        var before = problems.Count;
        if (record.Fields.Count > keys.Length)
        {
            problems.Add(new(line, "row", "too_many_fields"));
            return null;
        }
        string? Get(string key)
        {
            var i = Array.IndexOf(keys, key);
            return i >= 0 && i < record.Fields.Count ? TeacherFields.Blank(record.Fields[i]) : null;
        }
        var name = Get("displayName");
        if (OrganisationsApi.NameProblem(name, 100) is { } nameProblem)
        {
            problems.Add(new(line, "displayName", nameProblem));
        }
        var phone = TeacherFields.NormalisePhone(Get("phone"));
        var phoneProblem = TeacherFields.PhoneProblem(phone);
        if (phoneProblem is not null)
        {
            problems.Add(new(line, "phone", phoneProblem));
        }
        var staff = Get("staffNumber");
        if (TeacherFields.StaffNumberProblem(staff) is { } staffProblem)
        {
            problems.Add(new(line, "staffNumber", staffProblem));
        }
        if (phone is null && staff is null)
        {
            problems.Add(new(line, "phone", "phone_or_staff_number_required"));
        }
        var subject = Get("subject");
        if (TeacherFields.SubjectProblem(subject) is { } subjectProblem)
        {
            problems.Add(new(line, "subject", subjectProblem));
        }
        var stageText = Get("stage");
        var stage = TeacherFields.ParseStage(stageText);
        if (stage is null)
        {
            problems.Add(new(line, "stage", stageText is null ? "required" : "invalid"));
        }
        var roleText = Get("role");
        var role = roleText is null ? (schoolIsRural ? Roles.AssistantTeacher : Roles.LeadTeacher) : TeacherFields.ParseRole(roleText);
        if (role is null)
        {
            problems.Add(new(line, "role", "invalid"));
        }
        // Without a username column or value, the account is named after the phone number, else the staff number. A
        // missing or malformed phone is reported once, under phone, not again under username.
        var username = Get("username") is { } given ? AuthApi.NormaliseUsername(given)
            : (phoneProblem is null ? phone?.TrimStart('+') : null) ?? staff?.ToLowerInvariant();
        if (username is not null && !TeacherFields.IsUsername(username))
        {
            problems.Add(new(line, "username", "invalid_format"));
        }
        return problems.Count > before ? null : new TeacherCsvRow(line, name!, username!, phone, staff, subject!, stage!, role!);
    }

    private sealed record Record(int Line, List<string> Fields);

    /// <summary>RFC 4180 §2 records with the line each starts on (1-based).</summary>
    private static List<Record> Split(string text, List<ImportProblem> problems)
    {
        var records = new List<Record>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        var quoteStartLine = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }
                    field.Append(c);
                }
                i++;
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    quoteStartLine = line;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r' or '\n':
                    if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                    {
                        i++;
                    }
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add(new Record(recordLine, fields));
                    fields = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
            i++;
        }
        if (quoted)
        {
            problems.Add(new(quoteStartLine, "file", "unterminated_quote"));
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add(new Record(recordLine, fields));
        }
        return records;
    }
}
