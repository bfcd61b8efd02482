using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Tests.Research;

public sealed class ParticipationCalculatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);
    private static readonly Guid P = Guid.NewGuid();

    private static readonly SegmentRecord[] Segments =
    [
        new(0, "lesson_talk", "说课", 900, T0, T0.AddMinutes(15)),
        new(1, "review", "评课", 1800, T0.AddMinutes(15), T0.AddMinutes(45)),
        new(2, "summary", "总结", 600, null, null),
    ];

    [Fact]
    public void ForPerson_JoinedLateLeftEarly_CreditsOnlyTheOverlapWithRunSegments()
    {
        AttendanceInterval[] presence = [new(P, "participant", T0.AddMinutes(-5), T0.AddMinutes(10)), new(P, "participant", T0.AddMinutes(20), T0.AddMinutes(50))];

        var result = ParticipationCalculator.ForPerson(P, "甲", Segments, presence, [], 1, 2, sessionEnded: true, until: T0.AddMinutes(45));

        Assert.Equal(10 * 60, result.Segments.Single(s => s.Position == 0).AttendedSeconds);
        Assert.Equal(25 * 60, result.Segments.Single(s => s.Position == 1).AttendedSeconds);
        Assert.Equal(35, result.CreditedMinutes);
        Assert.Equal(2, result.Segments.Count);
    }

    [Fact]
    public void ForPerson_OverlappingPresences_CountOnce()
    {
        AttendanceInterval[] presence = [new(P, "observer", T0, T0.AddMinutes(30)), new(P, "observer", T0.AddMinutes(10), T0.AddMinutes(20))];

        var result = ParticipationCalculator.ForPerson(P, "甲", Segments, presence, [], 0, 0, sessionEnded: true, until: T0.AddMinutes(45));

        Assert.Equal(30, result.CreditedMinutes);
    }

    [Fact]
    public void ForPerson_SessionNotEnded_NothingCreditedYet()
    {
        AttendanceInterval[] presence = [new(P, "participant", T0, null)];
        SpeakingTurn[] turns = [new(P, T0.AddMinutes(1), T0.AddMinutes(3), "host")];

        var result = ParticipationCalculator.ForPerson(P, "甲", Segments, presence, turns, 0, 0, sessionEnded: false, until: T0.AddMinutes(20));

        Assert.False(result.Verified);
        Assert.Equal(0, result.CreditedMinutes);
        Assert.Equal(20 * 60, result.AttendedSeconds);
        Assert.Equal(120, result.SpokeSeconds);
    }
}
