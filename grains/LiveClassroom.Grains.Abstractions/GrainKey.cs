namespace LiveClassroom.Grains;

/// <summary>Identity of one grain: its kind (see <see cref="GrainKinds"/>) and its id within that kind.</summary>
[GenerateSerializer, Immutable, Alias("lc.GrainKey")]
public readonly record struct GrainKey(string Kind, string Id)
{
    public override string ToString() => $"{Kind}/{Id}";
}
