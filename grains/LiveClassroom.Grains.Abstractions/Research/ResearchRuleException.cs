namespace LiveClassroom.Grains.Research;

/// <summary>A command the session's rules refuse; <see cref="Code"/> is stable for clients, the messages are for people.</summary>
[GenerateSerializer, Alias("lc.ResearchRuleException")]
public sealed class ResearchRuleException : Exception
{
    public ResearchRuleException(ResearchRuleKind kind, string code, string message, string messageZh)
        : base(message)
    {
        Kind = kind;
        Code = code;
        MessageZh = messageZh;
    }

    public ResearchRuleException()
        : this(ResearchRuleKind.Conflict, "rule", "refused", "操作被拒绝")
    {
    }

    public ResearchRuleException(string message)
        : this(ResearchRuleKind.Conflict, "rule", message, message)
    {
    }

    public ResearchRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "rule";
        MessageZh = message;
    }

    [Id(0)]
    public ResearchRuleKind Kind { get; }

    [Id(1)]
    public string Code { get; }

    [Id(2)]
    public string MessageZh { get; }
}
