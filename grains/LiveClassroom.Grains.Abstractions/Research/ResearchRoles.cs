namespace LiveClassroom.Grains.Research;

/// <summary>What a person does in one research session (not an organisation role).</summary>
public static class ResearchRoles
{
    /// <summary>Runs the agenda, grants the floor, drives shared playback.</summary>
    public const string Host = "host";

    /// <summary>Is seen and heard when granted the floor.</summary>
    public const string Participant = "participant";

    /// <summary>Watches and scores without being seen; never takes the floor.</summary>
    public const string Observer = "observer";
}
