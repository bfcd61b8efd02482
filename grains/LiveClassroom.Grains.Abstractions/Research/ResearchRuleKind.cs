namespace LiveClassroom.Grains.Research;

/// <summary>Why a command was refused, so a transport can pick its status (403, 409, 400).</summary>
public enum ResearchRuleKind
{
    Conflict,
    Forbidden,
    Invalid,
}
