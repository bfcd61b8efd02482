namespace LiveClassroom.Server.Hubs;

/// <summary>The <c>Negotiate</c> result: the SFU's answer and the caller's peer id in the media room.</summary>
public sealed record NegotiateResult(string SdpAnswer, string PeerId);
