namespace LiveClassroom.Server.Hubs;

/// <summary>The mids of the offer's send transceivers; omit what is not published.</summary>
public sealed record PublishDescription(string? Camera, string? Microphone, string? Screen);
