namespace LiveClassroom.Grains.Classroom;

/// <summary>The SFU's SDP answer and the peer id the participant has in the media room.</summary>
[GenerateSerializer, Immutable, Alias("lc.MediaAnswer")]
public sealed record MediaAnswer(string SdpAnswer, string PeerId);
