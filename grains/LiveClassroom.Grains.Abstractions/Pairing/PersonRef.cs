namespace LiveClassroom.Grains.Pairing;

/// <summary>A person (<c>people.id</c>) with their display name.</summary>
public sealed record PersonRef(string Id, string Name);
