using System.Text.RegularExpressions;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// The teacher fields of registration and CSV import, checked one way for both: each method answers a validation
/// code (docs/API-PLATFORM.md, "Validation codes") or null.
/// </summary>
public static partial class TeacherFields
{
    [GeneratedRegex(@"^\+?[0-9]{5,20}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^[a-z0-9_.-]{3,64}$")]
    private static partial Regex UsernamePattern();

    public static IReadOnlyList<string> Stages { get; } = ["preschool", "primary", "junior", "senior"];

    /// <summary>A stage code from its code or its Chinese name (学前, 小学, 初中, 高中); null when neither.</summary>
    public static string? ParseStage(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "preschool" or "学前" or "幼儿园" => "preschool",
        "primary" or "小学" => "primary",
        "junior" or "初中" => "junior",
        "senior" or "高中" => "senior",
        _ => null,
    };

    /// <summary>A teacher role from its code or its Chinese name (主讲教师, 辅助教师); null when neither.</summary>
    public static string? ParseRole(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "lead_teacher" or "主讲教师" or "主讲" => Roles.LeadTeacher,
        "assistant_teacher" or "辅助教师" or "助教" or "辅助" => Roles.AssistantTeacher,
        _ => null,
    };

    /// <summary>Digits with an optional leading +; spaces and dashes people type are removed first (<see cref="NormalisePhone"/>).</summary>
    public static string? PhoneProblem(string? phone) =>
        phone is null ? null : PhonePattern().IsMatch(phone) ? null : "invalid_format";

    public static string? NormalisePhone(string? phone)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return null;
        }
        return phone.Trim().Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
    }

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public static string? StaffNumberProblem(string? staffNumber) => staffNumber is { Length: > 32 } ? "too_long" : null;

    public static string? SubjectProblem(string? subject) => subject switch
    {
        null => "required",
        { Length: > 50 } => "too_long",
        _ => null,
    };

    public static bool IsUsername(string username) => UsernamePattern().IsMatch(username);
}
