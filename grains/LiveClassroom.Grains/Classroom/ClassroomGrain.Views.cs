namespace LiveClassroom.Grains.Classroom;

/// <summary>Attendance bookkeeping and the immutable views (snapshot, participant) handed out of the grain.</summary>
internal sealed partial class ClassroomGrain
{
    /// <summary>Starts or ends a stretch of presence when the classroom's first participant connects or its last one drops.</summary>
    private void UpdatePresence(string? classroomId, DateTimeOffset now)
    {
        var c = State.Classrooms.Find(x => x.Id == classroomId);
        if (c is null)
        {
            return;
        }
        var present = State.Participants.Exists(p => p.ClassroomId == c.Id && p.Connection == ConnectionState.Connected);
        if (present && c.PresentSince is null)
        {
            if (c.FirstJoinedAt is null)
            {
                c.FirstJoinedAt = now;
            }
            else
            {
                c.ReconnectCount++;
            }
            c.PresentSince = now;
        }
        else if (!present && c.PresentSince is not null)
        {
            ClosePresence(c, now);
        }
    }

    private static void ClosePresence(ClassroomRecord c, DateTimeOffset now)
    {
        if (c.PresentSince is { } since)
        {
            // A loss dated by another node's clock may fall before the stretch began: it then counts nothing.
            var end = now < since ? since : now;
            c.MinutesBefore += (end - since).TotalMinutes;
            c.PresentSince = null;
            c.LastLeftAt = end;
        }
    }

    /// <summary>The snapshot a join answers with: a rural classroom's page gets it narrowed (<see cref="ClassSnapshot.ForRuralClassroom"/>).</summary>
    private ClassSnapshot SnapshotFor(RoomCaller caller, RoomRole role) =>
        role == RoomRole.Classroom && ClassroomOf(caller, role) is { Length: > 0 } classroomId ? Snapshot().ForRuralClassroom(classroomId) : Snapshot();

    private ClassSnapshot Snapshot()
    {
        var setup = State.Setup!;
        var now = Time.GetUtcNow();
        return new ClassSnapshot(
            Key.Id,
            State.Status,
            setup.Title,
            setup.PairingId,
            setup.LessonId,
            setup.LeadTeacher.Id,
            setup.LeadClassroom.Id,
            setup.ScheduledStart,
            State.OpenedAt,
            State.EndedAt,
            setup.MaxOnStage,
            [.. State.Classrooms.Select(c => ClassroomView(c, now))],
            [.. State.Participants.Select(View)],
            [.. State.HandQueue],
            Seats(),
            [.. History],
            State.Sequence);
    }

    private ClassroomView ClassroomView(ClassroomRecord c, DateTimeOffset now)
    {
        var hand = State.HandQueue.IndexOf(c.Id);
        var seat = State.StageSeats.IndexOf(c.Id);
        var minutes = c.MinutesBefore + (c.PresentSince is { } since ? (now - since).TotalMinutes : 0);
        return new ClassroomView(
            c.Id, c.Name, c.IsLead, c.Tile, c.PresentSince is not null,
            hand >= 0 ? hand + 1 : null,
            seat >= 0 ? seat + 1 : null,
            c.MutedByLead,
            new Attendance(c.FirstJoinedAt, c.LastLeftAt, Math.Round(minutes, 2), c.ReconnectCount),
            c.SchoolName);
    }

    private ParticipantView View(ParticipantRecord p) => new(
        p.PrincipalId,
        p.DisplayName,
        p.Role,
        p.Kind,
        p.ClassroomId,
        State.Classrooms.Find(c => c.Id == p.ClassroomId)?.Tile,
        p.Connection,
        p.PeerId,
        p.Publish,
        p.Stats,
        p.ClassroomId is { } classroomId && State.StageSeats.Contains(classroomId));

    /// <summary>StageChanged: the seats, with the seated classrooms' rural participants as they are now.</summary>
    private StageChanged StageNow()
    {
        var seats = Seats();
        var participants = new List<ParticipantView>();
        foreach (var p in State.Participants)
        {
            if (p.Role == RoomRole.Classroom && p.ClassroomId is { } id && seats.Exists(s => s.ClassroomId == id))
            {
                participants.Add(View(p));
            }
        }
        return new StageChanged(seats, participants);
    }

    private List<StageSeat> Seats() =>
        [.. State.StageSeats.Select((id, i) => (id, i)).Where(x => x.id is not null).Select(x => new StageSeat(x.i + 1, x.id!))];
}
