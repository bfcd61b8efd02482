using LiveClassroom.Server.Hubs;
using System.Text;
using System.Text.Json;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>A class change cut to fit PostgreSQL's NOTIFY payload limit: every piece fits, nothing lost, nothing twice.</summary>
public sealed class ClassChangeSplitTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public void Split_SmallChange_OnePieceTheSame()
    {
        var change = new ClassChange("c1", true, ["r1", "r2"], [Guid.NewGuid()]);

        var pieces = change.Split(7_500);

        Assert.Same(change, Assert.Single(pieces));
    }

    [Theory]
    [InlineData(200, 5, 7_500)]
    [InlineData(1_000, 40, 7_500)]
    [InlineData(50, 300, 1_000)]
    [InlineData(7, 3, 200)]
    public void Split_LargeChange_EveryPieceFitsAndEachIdIsInExactlyOne(int classroomCount, int organisationCount, int max)
    {
        var classrooms = Enumerable.Range(0, classroomCount).Select(i => $"教室-{i}-{Guid.NewGuid()}").ToList();
        var organisations = Enumerable.Range(0, organisationCount).Select(_ => Guid.NewGuid()).ToList();
        var change = new ClassChange("class-42", false, classrooms, organisations);

        var pieces = change.Split(max);

        Assert.True(pieces.Count > 1);
        foreach (var piece in pieces)
        {
            Assert.InRange(Encoding.UTF8.GetByteCount(JsonSerializer.Serialize(piece, Json)), 1, max);
            Assert.Equal("class-42", piece.ClassId);
            Assert.False(piece.Opened);
            Assert.True(piece.ClassroomIds.Count + piece.OrganisationIds.Count > 0);
        }
        Assert.Equal(classrooms, pieces.SelectMany(p => p.ClassroomIds));
        Assert.Equal(organisations, pieces.SelectMany(p => p.OrganisationIds));
    }

    [Fact]
    public void Split_AnIdLargerThanAPiece_Refused()
    {
        var change = new ClassChange("c1", true, [new string('x', 300)], []);

        Assert.Throws<ArgumentException>(() => { _ = change.Split(200); });
    }
}
