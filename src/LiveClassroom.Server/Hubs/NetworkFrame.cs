namespace LiveClassroom.Server.Hubs;

/// <summary>
/// <c>NetworkFigures</c>: one class's network as the SFU measures it, pushed every second or so to the admins watching it
/// (<see cref="ClassroomHub.WatchNetwork"/>; docs/OPERATIONS.md, "Network dashboard"). <see cref="Seq"/> rises by one per
/// frame of the class on this node; <see cref="Recording"/> is null when the recording state could not be read.
/// </summary>
public sealed record NetworkFrame(
    string ClassId,
    long Seq,
    DateTimeOffset At,
    string State,
    bool? Recording,
    IReadOnlyList<ClassroomNetwork> Classrooms);
