using System.Net;

namespace LiveClassroom.Media;

/// <summary>Configuration of one SFU node: one UDP socket shared by every peer of every room.</summary>
public sealed class MediaServerOptions
{
    /// <summary>UDP port; 0 picks an ephemeral one (tests).</summary>
    public int Port { get; init; }

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>
    /// ICE-TCP (RFC 6544) passive port for networks that block UDP; null disables it, 0 takes the bound UDP port's number when that TCP port is free (else an ephemeral one).
    /// Answers then carry <c>tcptype passive</c> host candidates after the UDP ones.
    /// </summary>
    public int? TcpPort { get; init; }

    /// <summary>Tests and diagnostics: leave the UDP candidates out of answers so browsers must use ICE-TCP.</summary>
    public bool AdvertiseUdp { get; init; } = true;

    /// <summary>Addresses written as host candidates (tests advertise 127.0.0.1); empty means the bind address.</summary>
    public IReadOnlyList<IPAddress> AdvertisedAddresses { get; init; } = [];

    public SrtpProfilePreference SrtpProfile { get; init; } = SrtpProfilePreference.PreferGcm;

    public VideoCodecPreference VideoCodec { get; init; } = VideoCodecPreference.H264;

    /// <summary>RFC 7675 consent: a peer with no valid ICE check for this long is gone.</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The REMB value sent to publishers each second. Chrome never starts its top simulcast layer without receiver
    /// feedback; a bandwidth estimator (Bwe) would replace this constant.
    /// </summary>
    public long RembBitrateBps { get; init; } = 3_000_000;

    /// <summary>
    /// Echo transport-cc in answers. Off by default: with transport-cc negotiated Chrome ignores REMB for its send
    /// estimate and waits for transport-wide feedback, which this SFU does not generate yet.
    /// </summary>
    public bool NegotiateTransportCc { get; init; }

    /// <summary>Packets kept per video stream for answering NACKs (power of two).</summary>
    public int RetransmissionCacheSize { get; init; } = 512;
}
