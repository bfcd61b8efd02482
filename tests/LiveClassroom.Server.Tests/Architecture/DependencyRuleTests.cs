using System.Reflection;

namespace LiveClassroom.Server.Tests.Architecture;

/// <summary>The dependency rule of shared/STYLE.md, read from the compiled assemblies' references.</summary>
public sealed class DependencyRuleTests
{
    private static readonly string[] Forbidden = ["Microsoft.AspNetCore", "Npgsql", "Microsoft.AspNetCore.SignalR"];

    private static IEnumerable<string> ReferencesOf(string assemblyName) =>
        Assembly.Load(assemblyName).GetReferencedAssemblies().Select(a => a.Name!);

    [Theory]
    [InlineData("LiveClassroom.Media")]
    [InlineData("LiveClassroom.Grains")]
    [InlineData("LiveClassroom.Grains.Abstractions")]
    public void MediaAndGrains_DoNotReference_AspNetCoreSignalROrNpgsql(string assembly)
    {
        var offending = ReferencesOf(assembly).Where(r => Forbidden.Any(f => r.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(offending.Count == 0, $"{assembly} references {string.Join(", ", offending)}");
    }

    [Fact]
    public void GrainsAbstractions_ReferencesNothingOfOurs()
    {
        Assert.DoesNotContain(ReferencesOf("LiveClassroom.Grains.Abstractions"), r => r.StartsWith("LiveClassroom.", StringComparison.Ordinal));
    }

    [Fact]
    public void Media_ReferencesNothingOfOurs()
    {
        Assert.DoesNotContain(ReferencesOf("LiveClassroom.Media"), r => r.StartsWith("LiveClassroom.", StringComparison.Ordinal));
    }

    [Fact]
    public void Grains_ReferenceOnlyAbstractionsOfOurs()
    {
        var ours = ReferencesOf("LiveClassroom.Grains").Where(r => r.StartsWith("LiveClassroom.", StringComparison.Ordinal));
        Assert.All(ours, r => Assert.Equal("LiveClassroom.Grains.Abstractions", r));
    }

    [Fact]
    public void Media_ReferencesOnlyTheBclAndBouncyCastle()
    {
        var refs = ReferencesOf("LiveClassroom.Media")
            .Where(r => !r.StartsWith("System", StringComparison.Ordinal) && r != "netstandard" && r != "mscorlib");
        Assert.All(refs, r => Assert.Equal("BouncyCastle.Crypto", r));
    }

    [Fact]
    public void Rule_IsCheckedAgainstARealAssembly()
    {
        // Guards the test itself: the server does reference ASP.NET Core, so the probe must see it there.
        Assert.Contains(ReferencesOf("LiveClassroom.Server"), r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }
}
