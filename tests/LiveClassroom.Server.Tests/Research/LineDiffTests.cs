using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Tests.Research;

public sealed class LineDiffTests
{
    [Fact]
    public void Compute_ChangedMiddleLine_DeleteThenInsertWithLineNumbers()
    {
        var diff = LineDiff.Compute("一、教学目标\n二、重难点\n三、过程\n", "一、教学目标\n二、教学重点与难点\n三、过程\n");

        Assert.Equal(
        [
            new DiffLine("equal", 1, 1, "一、教学目标"),
            new DiffLine("delete", 2, null, "二、重难点"),
            new DiffLine("insert", null, 2, "二、教学重点与难点"),
            new DiffLine("equal", 3, 3, "三、过程"),
        ], diff);
    }

    [Fact]
    public void Compute_InsertedAndRemovedLines_KeepsCommonSubsequence()
    {
        var diff = LineDiff.Compute("a\nb\nc\nd", "a\nc\nd\ne");

        Assert.Equal(["equal a", "delete b", "equal c", "equal d", "insert e"], diff.Select(d => $"{d.Op} {d.Text}"));
    }

    [Fact]
    public void Compute_IdenticalTexts_AllEqual()
    {
        var diff = LineDiff.Compute("x\r\ny", "x\ny\n");

        Assert.All(diff, d => Assert.Equal("equal", d.Op));
        Assert.Equal(2, diff.Count);
    }

    [Fact]
    public void Compute_FromEmpty_AllInserted()
    {
        var diff = LineDiff.Compute("", "p\nq");

        Assert.Equal([new DiffLine("insert", null, 1, "p"), new DiffLine("insert", null, 2, "q")], diff);
    }

    [Fact]
    public void Compute_TooManyChangedLines_Refused()
    {
        var a = string.Join('\n', Enumerable.Range(0, LineDiff.MaxChangedLines + 1).Select(i => $"a{i}"));
        var b = string.Join('\n', Enumerable.Range(0, LineDiff.MaxChangedLines + 1).Select(i => $"b{i}"));

        Assert.Throws<ArgumentException>(() => LineDiff.Compute(a, b));
    }
}
