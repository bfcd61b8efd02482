namespace LiveClassroom.Grains;

/// <summary>A signed-in person or a classroom device (claim <c>lc:kind</c>).</summary>
public enum PrincipalKind
{
    Person,
    Device,
}
