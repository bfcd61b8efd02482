// RFC 8866 §6.6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>].
namespace LiveClassroom.Media.Sdp;

internal sealed record SdpRtpMap(int PayloadType, string Name, int ClockRate, int Channels);
