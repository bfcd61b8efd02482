namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Told to admins watching the live classes (<c>WatchLiveClasses</c>): a class in their scope opened or ended
/// (<see cref="State"/> <c>opened</c> or <c>ended</c>); the page reloads its list (docs/HUB.md, "Live classes").
/// </summary>
public sealed record LiveClassesChangedNotice(string ClassId, string State);
