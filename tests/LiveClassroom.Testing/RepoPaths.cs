namespace LiveClassroom.Testing;

public static class RepoPaths
{
    /// <summary>The folder holding LiveClassroom.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Configuration the tests were built with (Debug or Release), so sibling outputs match.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string ServerDll => Path.Combine(Root, "src", "LiveClassroom.Server", "bin", Configuration, "net10.0", "LiveClassroom.Server.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LiveClassroom.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("LiveClassroom.sln not found above " + AppContext.BaseDirectory);
    }
}
