namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>GET /api/media/ice-servers: RTCConfiguration.iceServers for the caller, good until <see cref="ExpiresAt"/>.</summary>
public sealed record IceServersResponse(IReadOnlyList<IceServerView> IceServers, int TtlSeconds, DateTimeOffset ExpiresAt);
