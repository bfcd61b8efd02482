// RFC 8866 §5: a session description = session-level lines followed by media descriptions.
namespace LiveClassroom.Media.Sdp;

internal sealed class SdpSessionDescription
{
    public string? IceUfrag { get; set; }

    public string? IcePwd { get; set; }

    public string? FingerprintAlgorithm { get; set; }

    public string? Fingerprint { get; set; }

    public string? Setup { get; set; }

    public bool IceLite { get; set; }

    public bool ExtmapAllowMixed { get; set; }

    /// <summary>Mids of <c>a=group:BUNDLE</c> (RFC 9143 §7.1).</summary>
    public List<string> Bundle { get; } = [];

    public List<SdpMediaDescription> Media { get; } = [];

    public int MalformedLines { get; set; }

    // JSEP lets credentials and fingerprint sit at session or media level; media level wins.
    public string? IceUfragOf(SdpMediaDescription m) => m.IceUfrag ?? IceUfrag;

    public string? IcePwdOf(SdpMediaDescription m) => m.IcePwd ?? IcePwd;

    public string? FingerprintOf(SdpMediaDescription m) => m.Fingerprint ?? Fingerprint;

    public string? FingerprintAlgorithmOf(SdpMediaDescription m) => m.FingerprintAlgorithm ?? FingerprintAlgorithm;
}
