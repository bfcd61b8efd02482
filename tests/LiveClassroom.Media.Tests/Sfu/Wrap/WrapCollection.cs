namespace LiveClassroom.Media.Tests.Sfu.Wrap;

/// <summary>The sequence-wrap tests share one server and run one after another (each pushes ~140,000 packets).</summary>
[CollectionDefinition(Name)]
public sealed class WrapCollection : ICollectionFixture<WrapFixture>
{
    public const string Name = "sequence wrap";
}
