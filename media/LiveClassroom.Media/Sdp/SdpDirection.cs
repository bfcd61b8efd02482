// RFC 8866 §6.7: media direction attributes, from the point of view of the side that wrote them.
namespace LiveClassroom.Media.Sdp;

internal enum SdpDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
