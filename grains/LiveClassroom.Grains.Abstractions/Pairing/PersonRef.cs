namespace LiveClassroom.Grains.Pairing;

/// <summary>A person (<c>people.id</c>) with their display name.</summary>
[GenerateSerializer, Immutable, Alias("lc.PersonRef")]
public sealed record PersonRef(string Id, string Name);
