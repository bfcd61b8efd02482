using LiveClassroom.Grains;

namespace LiveClassroom.Server.Hubs;

/// <summary>Which classroom-hub connections have joined which class, as which <see cref="RoomCaller"/>.</summary>
public sealed class ClassConnections() : RoomConnections<RoomCaller>(caller => caller.PrincipalId);
