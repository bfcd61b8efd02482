using System.Globalization;

namespace LiveClassroom.Media.Tests.TestVectors;

/// <summary>Reads the hex vector files: '#' lines are comments, a line "# name:" starts a new section.</summary>
internal static class VectorFile
{
    public static byte[] Read(string name) => Sections(name)[0];

    /// <summary>Byte sections separated by comment lines; each run of hex lines is one section.</summary>
    public static List<byte[]> Sections(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestVectors", name);
        var sections = new List<byte[]>();
        var current = new List<byte>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.StartsWith('#'))
            {
                Flush();
                continue;
            }
            var hex = line.Replace(" ", "", StringComparison.Ordinal);
            for (var i = 0; i + 1 < hex.Length; i += 2)
            {
                current.Add(byte.Parse(hex.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            }
        }
        Flush();
        return sections;

        void Flush()
        {
            if (current.Count > 0)
            {
                sections.Add([.. current]);
                current.Clear();
            }
        }
    }

    /// <summary>One vector per non-comment line.</summary>
    public static List<byte[]> Lines(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TestVectors", name);
        var result = new List<byte[]>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            result.Add(Convert.FromHexString(line.Replace(" ", "", StringComparison.Ordinal)));
        }
        return result;
    }
}
