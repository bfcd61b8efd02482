using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace LiveClassroom.Server.Persistence;

/// <summary>Reads the migrations embedded in this assembly, ordered by version (numbers unique, gaps allowed).</summary>
public static partial class MigrationCatalog
{
    [GeneratedRegex(@"\.Migrations\.(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();

    public static IReadOnlyList<Migration> Embedded { get; } = Load(typeof(MigrationCatalog).Assembly);

    public static int LatestVersion => Embedded.Count == 0 ? 0 : Embedded[^1].Version;

    private static List<Migration> Load(Assembly assembly)
    {
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            list.Add(new Migration(
                int.Parse(match.Groups["version"].Value, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }
        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        // Numbers are reserved per branch (work merged in any order), so gaps are allowed; repeats are not.
        for (var i = 1; i < list.Count; i++)
        {
            if (list[i].Version == list[i - 1].Version)
            {
                throw new InvalidOperationException($"Two migrations share the number {list[i].Version:D4}.");
            }
        }
        return list;
    }
}
