using System.Text;
using System.Text.Json;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// One class opened (<see cref="Opened"/>) or ended: its classrooms (devices waiting in them are told it opened) and
/// every organisation whose admins see it live (its schools and all above them).
/// </summary>
public sealed record ClassChange(string ClassId, bool Opened, IReadOnlyList<string> ClassroomIds, IReadOnlyList<Guid> OrganisationIds)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// The change cut into pieces whose JSON is at most <paramref name="maxJsonBytes"/> bytes, each piece a change of its
    /// own for some of the classrooms and organisations: every classroom and organisation is in exactly one piece, so
    /// a receiver handles each piece alone. One piece when it fits. (PostgreSQL refuses a NOTIFY payload of 8,000 bytes
    /// or more: a class of about 100 classrooms and more did not fit in one.)
    /// </summary>
    public IReadOnlyList<ClassChange> Split(int maxJsonBytes)
    {
        var whole = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(this, Json));
        if (whole <= maxJsonBytes)
        {
            return [this];
        }
        var empty = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(this with { ClassroomIds = [], OrganisationIds = [] }, Json));
        var pieces = new List<ClassChange>();
        var classrooms = new List<string>();
        var organisations = new List<Guid>();
        var size = empty;
        void Add(int itemBytes)
        {
            // An item's JSON plus its separating comma.
            if (size + itemBytes + 1 > maxJsonBytes && (classrooms.Count > 0 || organisations.Count > 0))
            {
                pieces.Add(this with { ClassroomIds = [.. classrooms], OrganisationIds = [.. organisations] });
                classrooms.Clear();
                organisations.Clear();
                size = empty;
            }
            size += itemBytes + 1;
        }
        foreach (var id in ClassroomIds)
        {
            var bytes = Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(id, Json));
            if (empty + bytes > maxJsonBytes)
            {
                throw new ArgumentException($"classroom id of {bytes} bytes does not fit a piece of {maxJsonBytes}", nameof(maxJsonBytes));
            }
            Add(bytes);
            classrooms.Add(id);
        }
        foreach (var id in OrganisationIds)
        {
            Add(Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(id, Json)));
            organisations.Add(id);
        }
        if (classrooms.Count > 0 || organisations.Count > 0)
        {
            pieces.Add(this with { ClassroomIds = [.. classrooms], OrganisationIds = [.. organisations] });
        }
        return pieces;
    }
}
