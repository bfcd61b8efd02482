using System.Globalization;
using LiveClassroom.Media.Dtls;

namespace LiveClassroom.LoadTests;

/// <summary>Command-line options the forwarding benchmark and the soak run share: the teacher's stream and the SRTP profile.</summary>
internal sealed class StreamOptions
{
    public long VideoBps { get; set; } = 1_200_000;

    public ushort StartSeq { get; set; } = 1;

    public SrtpProtectionProfileId Srtp { get; set; } = SrtpProtectionProfileId.AeadAes128Gcm;

    /// <summary>Applies one of the shared options; false if <paramref name="name"/> is not one of them.</summary>
    public bool TryApply(string name, string value)
    {
        switch (name)
        {
            case "--video-bps":
                VideoBps = Math.Clamp(long.Parse(value, CultureInfo.InvariantCulture), 100_000, 50_000_000);
                return true;
            case "--start-seq":
                StartSeq = ushort.Parse(value, CultureInfo.InvariantCulture);
                return true;
            case "--srtp":
                Srtp = value == "cm" ? SrtpProtectionProfileId.AesCm128HmacSha1_80 : SrtpProtectionProfileId.AeadAes128Gcm;
                return true;
            default:
                return false;
        }
    }
}
