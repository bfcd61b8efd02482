using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Tests.Research;

public sealed class ScoreAggregatorTests
{
    private static readonly Rubric Rubric = new("测试", 1, 5,
    [
        new RubricCriterion("goals", "教学目标", "", 40),
        new RubricCriterion("process", "教学过程", "", 60),
    ]);

    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private static ScoreEntry S(Guid observer, string key, double score, int minute = 0) => new(observer, key, score, T0.AddMinutes(minute));

    [Fact]
    public void Aggregate_ThreeSheets_GivesMeanMinMaxPopulationStdDevAndCount()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();

        var result = ScoreAggregator.Aggregate(Rubric, [S(a, "goals", 3), S(b, "goals", 4), S(c, "goals", 5), S(a, "process", 2), S(b, "process", 4), S(c, "process", 3)]);

        var goals = result.Criteria.Single(x => x.Key == "goals");
        Assert.Equal(3, goals.Count);
        Assert.Equal(4, goals.Mean);
        Assert.Equal(3, goals.Min);
        Assert.Equal(5, goals.Max);
        Assert.Equal(0.82, goals.StdDev);
        Assert.Equal(3, result.SheetCount);
        Assert.True(result.Complete);
    }

    [Fact]
    public void Aggregate_WeightedTotal_IsWeightedMeanOverScaleMaxOutOf100()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();

        var result = ScoreAggregator.Aggregate(Rubric, [S(a, "goals", 5), S(b, "goals", 4), S(a, "process", 3), S(b, "process", 3)]);

        // goals mean 4.5, process mean 3: (40·4.5/5 + 60·3/5) / 100 × 100 = 36 + 36 = 72.
        Assert.Equal(72, result.WeightedTotal);
    }

    [Fact]
    public void Aggregate_LateJoinerWithPartialSheet_CountsWhereTheyScored()
    {
        Guid early = Guid.NewGuid(), late = Guid.NewGuid();

        var result = ScoreAggregator.Aggregate(Rubric, [S(early, "goals", 2), S(early, "process", 4), S(late, "goals", 4, minute: 50)]);

        Assert.Equal(2, result.Criteria.Single(x => x.Key == "goals").Count);
        Assert.Equal(3, result.Criteria.Single(x => x.Key == "goals").Mean);
        Assert.Equal(1, result.Criteria.Single(x => x.Key == "process").Count);
        Assert.Equal(2, result.SheetCount);
    }

    [Fact]
    public void Aggregate_SameObserverSavedTwice_CountsOnceWithTheLatestScore()
    {
        var reconnecting = Guid.NewGuid();

        var result = ScoreAggregator.Aggregate(Rubric, [S(reconnecting, "goals", 2, minute: 1), S(reconnecting, "goals", 5, minute: 9), S(reconnecting, "process", 5)]);

        var goals = result.Criteria.Single(x => x.Key == "goals");
        Assert.Equal(1, goals.Count);
        Assert.Equal(5, goals.Mean);
        Assert.Equal(1, result.SheetCount);
    }

    [Fact]
    public void Aggregate_CriterionNobodyScored_IsIncompleteAndTotalUsesScoredWeights()
    {
        var a = Guid.NewGuid();

        var result = ScoreAggregator.Aggregate(Rubric, [S(a, "process", 4), S(a, "retired_key", 1)]);

        Assert.False(result.Complete);
        Assert.Null(result.Criteria.Single(x => x.Key == "goals").Mean);
        Assert.Equal(80, result.WeightedTotal);
    }

    [Fact]
    public void Aggregate_NoScores_HasNoTotal()
    {
        var result = ScoreAggregator.Aggregate(Rubric, []);

        Assert.Null(result.WeightedTotal);
        Assert.Equal(0, result.SheetCount);
    }
}
