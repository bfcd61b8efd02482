namespace LiveClassroom.Server.Alliances;

/// <summary>
/// The fixed rules of 教研联盟 (docs/API-PLATFORM.md, "Teaching-research alliances"). State machine:
/// applied → certified | rejected; certified/assessed → assessed (keep, up, down) | dissolved (exit).
/// </summary>
public static class AllianceRules
{
    public const string Applied = "applied";
    public const string Rejected = "rejected";
    public const string Certified = "certified";
    public const string Assessed = "assessed";
    public const string Dissolved = "dissolved";

    public const string Chief = "chief";
    public const string Expert = "expert";
    public const string Core = "core";
    public const string Member = "member";

    /// <summary>Certification needs at least this many guiding experts (指导专家).</summary>
    public const int MinExperts = 2;

    public const int MaxExperts = 10;

    /// <summary>"About ten" core teachers (核心名师): a few more are allowed, not a second alliance's worth.</summary>
    public const int MaxCore = 15;

    public static IReadOnlyList<string> Stages { get; } = ["preschool", "primary", "junior", "senior"];

    public static IReadOnlyList<string> Decisions { get; } = ["keep", "up", "down", "exit"];

    /// <summary>Roles the chief or the level's admin may give; the chief is named at application and stays.</summary>
    public static IReadOnlyList<string> AssignableRoles { get; } = [Expert, Core, Member];
}
