namespace LiveClassroom.Server.Media;

/// <summary>
/// The outer shape of an SDP body (RFC 8866 §5): <c>v=0</c> first, then <c>type=value</c> lines whose type is one
/// lowercase letter, and at least one well-formed <c>m=</c> line. Deeper checks are the media plane's.
/// </summary>
public static class SdpSyntax
{
    public static bool IsWellFormed(string? sdp)
    {
        if (string.IsNullOrEmpty(sdp))
        {
            return false;
        }
        var lines = sdp.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != "v=0")
        {
            return false;
        }
        var media = 0;
        foreach (var line in lines)
        {
            if (line.Length < 2 || line[1] != '=' || line[0] is < 'a' or > 'z')
            {
                return false;
            }
            if (line[0] == 'm')
            {
                if (line[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length < 4)
                {
                    return false;
                }
                media++;
            }
        }
        return media > 0;
    }
}
