namespace LiveClassroom.Server.Library;

/// <summary>
/// draft → pending_school → pending_county → published → taken_down; either review step may reject
/// (→ rejected, editable and resubmittable by the author).
/// </summary>
public static class ResourceStatus
{
    public const string Draft = "draft";
    public const string PendingSchool = "pending_school";
    public const string PendingCounty = "pending_county";
    public const string Published = "published";
    public const string Rejected = "rejected";
    public const string TakenDown = "taken_down";

    public static readonly string[] Stages = ["小学", "初中", "高中"];
}
