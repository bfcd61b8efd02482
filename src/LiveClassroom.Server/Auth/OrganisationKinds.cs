namespace LiveClassroom.Server.Auth;

/// <summary>The levels of the organisation tree, top to bottom, as stored in <c>organisations.kind</c>.</summary>
public static class OrganisationKinds
{
    public const string Province = "province";
    public const string City = "city";
    public const string County = "county";
    public const string School = "school";

    public static IReadOnlyList<string> TopDown { get; } = [Province, City, County, School];

    /// <summary>The kind a child of <paramref name="kind"/> must have, or null for schools.</summary>
    public static string? ChildOf(string kind) => kind switch
    {
        Province => City,
        City => County,
        County => School,
        _ => null,
    };

    /// <summary>The organisation kind a role is held at, or null when any level will do (researchers).</summary>
    public static string? KindForRole(string role) => role switch
    {
        Roles.ProvinceAdmin => Province,
        Roles.CityAdmin => City,
        Roles.CountyAdmin => County,
        Roles.SchoolAdmin or Roles.LeadTeacher or Roles.AssistantTeacher => School,
        _ => null,
    };
}
