// RFC 8285 §5: a=extmap:<id>[/<direction>] <uri>.
namespace LiveClassroom.Media.Sdp;

internal sealed record SdpExtMap(int Id, string Uri);
