using LiveClassroom.Server.Alliances;

namespace LiveClassroom.Server.Tests.Platform;

public sealed class CandidateSearchTests
{
    [Theory]
    [InlineData(null, "required")]
    [InlineData(" \t", "required")]
    [InlineData("a", "too_short")]
    [InlineData(" a ", "too_short")]
    [InlineData("é", "too_short")]
    [InlineData("王", null)]
    [InlineData("𠀋", null)] // an extension-B ideograph: one character, two UTF-16 units
    [InlineData("ab", null)]
    [InlineData("12", null)]
    public void Problem_ByTerm_IsTheFieldError(string? term, string? problem) => Assert.Equal(problem, CandidateSearch.Problem(term));

    [Fact]
    public void Problem_TermOverFiftyCharacters_TooLong()
    {
        Assert.Null(CandidateSearch.Problem(new string('a', 50)));
        Assert.Equal("too_long", CandidateSearch.Problem(new string('王', 51)));
    }

    [Fact]
    public void Literal_LikeWildcardsAndEscape_AreEscaped() => Assert.Equal(@"a\%b\_c\\d", CandidateSearch.Literal(@" a%b_c\d "));
}
