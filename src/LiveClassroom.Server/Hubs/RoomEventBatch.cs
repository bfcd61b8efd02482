namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The wire envelope of several consecutive class events that one state write of the class carried (docs/HUB.md,
/// <c>RoomEvents</c>): <paramref name="Events"/> in sequence order, from <paramref name="First"/> to <paramref name="Last"/>.
/// One message per connection instead of one per event: after an edge node is lost, hundreds of classrooms' media
/// changes share a write, and every page's answer to its own offer travels on the same connection behind them.
/// </summary>
public sealed record RoomEventBatch(string ClassId, long First, long Last, IReadOnlyList<RoomEventMessage> Events);
