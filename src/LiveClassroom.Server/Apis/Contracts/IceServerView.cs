namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>One RTCIceServer: TURN URIs with a time-limited username and credential.</summary>
public sealed record IceServerView(IReadOnlyList<string> Urls, string Username, string Credential);
