using System.Text;

namespace LiveClassroom.Server.Alliances;

/// <summary>
/// The rules of the alliance people picker's search (docs/API-PLATFORM.md, "Finding people to name"): a term is required,
/// one Chinese character or two other characters at least, so the picker never lists a whole level's staff; at most
/// <see cref="Limit"/> matches come back.
/// </summary>
public static class CandidateSearch
{
    public const int Limit = 20;

    public const int MaxTermLength = 50;

    /// <summary>Null when the (trimmed) term may be searched, else the field error: required, too_short or too_long.</summary>
    public static string? Problem(string? term)
    {
        var t = term?.Trim() ?? "";
        if (t.Length == 0)
        {
            return "required";
        }
        if (t.Length > MaxTermLength)
        {
            return "too_long";
        }
        var runes = 0;
        foreach (var r in t.EnumerateRunes())
        {
            if (IsHan(r))
            {
                return null;
            }
            runes++;
        }
        return runes >= 2 ? null : "too_short";
    }

    /// <summary>A CJK unified ideograph (the basic block, extension A, compatibility ideographs, or the supplementary planes' B–I).</summary>
    public static bool IsHan(Rune r) =>
        r.Value is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0xF900 and <= 0xFAFF or >= 0x20000 and <= 0x3FFFF;

    /// <summary>The term as a literal inside an ILIKE pattern (escape character <c>\</c>): <c>%</c>, <c>_</c> and <c>\</c> match themselves.</summary>
    public static string Literal(string term) => term.Trim().Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");
}
