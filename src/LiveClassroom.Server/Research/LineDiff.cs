namespace LiveClassroom.Server.Research;

/// <summary>
/// A line diff by longest common subsequence: deletions before insertions within a change, so the result
/// reads like a unified diff. Common leading and trailing lines are trimmed before the quadratic table.
/// </summary>
public static class LineDiff
{
    /// <summary>Changed lines beyond which the table would be too large; the caller reports it.</summary>
    public const int MaxChangedLines = 2000;

    public static IReadOnlyList<DiffLine> Compute(string oldText, string newText)
    {
        var a = Split(oldText);
        var b = Split(newText);
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix])
        {
            suffix++;
        }
        int n = a.Length - prefix - suffix, m = b.Length - prefix - suffix;
        if (n > MaxChangedLines || m > MaxChangedLines)
        {
            throw new ArgumentException($"more than {MaxChangedLines} changed lines");
        }
        var result = new List<DiffLine>(a.Length + m);
        for (var i = 0; i < prefix; i++)
        {
            result.Add(new DiffLine("equal", i + 1, i + 1, a[i]));
        }
        // lcs[i, j] = length of the LCS of a[prefix+i..] and b[prefix+j..] within the changed middle.
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        {
            for (var j = m - 1; j >= 0; j--)
            {
                lcs[i, j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        int x = 0, y = 0;
        while (x < n || y < m)
        {
            if (x < n && y < m && a[prefix + x] == b[prefix + y])
            {
                result.Add(new DiffLine("equal", prefix + x + 1, prefix + y + 1, a[prefix + x]));
                x++;
                y++;
            }
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                result.Add(new DiffLine("delete", prefix + x + 1, null, a[prefix + x]));
                x++;
            }
            else
            {
                result.Add(new DiffLine("insert", null, prefix + y + 1, b[prefix + y]));
                y++;
            }
        }
        for (var k = 0; k < suffix; k++)
        {
            result.Add(new DiffLine("equal", a.Length - suffix + k + 1, b.Length - suffix + k + 1, a[a.Length - suffix + k]));
        }
        return result;
    }

    private static string[] Split(string text) =>
        text.Length == 0 ? [] : text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
}
