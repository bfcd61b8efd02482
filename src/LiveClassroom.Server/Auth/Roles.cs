namespace LiveClassroom.Server.Auth;

/// <summary>Role names as stored in <c>person_roles.role</c>.</summary>
public static class Roles
{
    public const string LeadTeacher = "lead_teacher";
    public const string AssistantTeacher = "assistant_teacher";
    public const string Researcher = "researcher";
    public const string SchoolAdmin = "school_admin";
    public const string CountyAdmin = "county_admin";
    public const string CityAdmin = "city_admin";
    public const string ProvinceAdmin = "province_admin";

    public static IReadOnlyList<string> All { get; } =
        [LeadTeacher, AssistantTeacher, Researcher, SchoolAdmin, CountyAdmin, CityAdmin, ProvinceAdmin];

    public static bool IsAdmin(string role) =>
        role is SchoolAdmin or CountyAdmin or CityAdmin or ProvinceAdmin;
}
