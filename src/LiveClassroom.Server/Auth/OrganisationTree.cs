namespace LiveClassroom.Server.Auth;

/// <summary>
/// An immutable snapshot of the organisation tree and of which school each classroom is in.
/// Replaced as a whole when the database changes, so readers never lock.
/// </summary>
public sealed class OrganisationTree
{
    private readonly Dictionary<Guid, OrganisationNode> _nodes;
    private readonly Dictionary<Guid, List<Guid>> _children = [];
    private readonly Dictionary<Guid, Guid> _classroomSchools;

    public OrganisationTree(IEnumerable<OrganisationNode> nodes, IEnumerable<KeyValuePair<Guid, Guid>>? classroomSchools = null, long version = 0)
    {
        _nodes = nodes.ToDictionary(n => n.Id);
        foreach (var node in _nodes.Values)
        {
            if (node.ParentId is { } parent)
            {
                if (!_children.TryGetValue(parent, out var list))
                {
                    _children[parent] = list = [];
                }
                list.Add(node.Id);
            }
        }
        _classroomSchools = classroomSchools is null ? [] : new Dictionary<Guid, Guid>(classroomSchools);
        Version = version;
    }

    public static OrganisationTree Empty { get; } = new([]);

    /// <summary>The database's change counter this snapshot was read at.</summary>
    public long Version { get; }

    public int Count => _nodes.Count;

    public OrganisationNode? Find(Guid id) => _nodes.GetValueOrDefault(id);

    public IEnumerable<OrganisationNode> Roots => _nodes.Values.Where(n => n.ParentId is null);

    public IReadOnlyList<Guid> ChildrenOf(Guid id) => _children.TryGetValue(id, out var list) ? list : [];

    /// <summary>The school a classroom is in, or null for an unknown classroom.</summary>
    public Guid? SchoolOfClassroom(Guid classroomId) =>
        _classroomSchools.TryGetValue(classroomId, out var school) ? school : null;

    /// <summary>True when <paramref name="ancestor"/> is <paramref name="descendant"/> or above it; false for unknown ids.</summary>
    public bool IsAncestorOrSelf(Guid ancestor, Guid descendant)
    {
        // The depth is at most four, and a guard stops a corrupted cycle from spinning.
        var current = descendant;
        for (var depth = 0; depth < 16 && _nodes.TryGetValue(current, out var node); depth++)
        {
            if (current == ancestor)
            {
                return true;
            }
            if (node.ParentId is not { } parent)
            {
                return false;
            }
            current = parent;
        }
        return false;
    }

    /// <summary>The organisation and its ancestors, nearest first.</summary>
    public IReadOnlyList<OrganisationNode> PathToRoot(Guid id)
    {
        var path = new List<OrganisationNode>();
        var current = id;
        while (path.Count < 16 && _nodes.TryGetValue(current, out var node))
        {
            path.Add(node);
            if (node.ParentId is not { } parent)
            {
                break;
            }
            current = parent;
        }
        return path;
    }

    /// <summary>The organisation and everything below it (empty for an unknown id).</summary>
    public IReadOnlyList<Guid> SubtreeOf(Guid id)
    {
        var result = new List<Guid>();
        if (!_nodes.ContainsKey(id))
        {
            return result;
        }
        var stack = new Stack<Guid>();
        stack.Push(id);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            result.Add(current);
            foreach (var child in ChildrenOf(current))
            {
                stack.Push(child);
            }
        }
        return result;
    }
}
