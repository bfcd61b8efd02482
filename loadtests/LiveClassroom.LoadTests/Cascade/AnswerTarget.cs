using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>Where a synthetic peer sends its media: the UDP host candidate of the SFU's SDP answer (RFC 8839 §5.1).</summary>
internal static partial class AnswerTarget
{
    /// <summary>The answer's UDP host candidate as an endpoint; throws when the answer has none.</summary>
    public static IPEndPoint Parse(string answer)
    {
        var candidate = UdpCandidate().Match(answer);
        if (!candidate.Success)
        {
            throw new InvalidOperationException("the answer has no UDP host candidate");
        }
        return new IPEndPoint(IPAddress.Parse(candidate.Groups[1].Value), int.Parse(candidate.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host")]
    private static partial Regex UdpCandidate();
}
