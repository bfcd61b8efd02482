namespace LiveClassroom.Grains.Classroom;

/// <summary>Who may do what in a class, and input checks: all throw <see cref="RoomRuleException"/> before any change.</summary>
internal sealed partial class ClassroomGrain
{
    private const int MaxStageLimit = 9;
    private const int MaxRuralClassrooms = 64;

    private static void CheckCaller(RoomCaller? caller)
    {
        if (caller is null || string.IsNullOrWhiteSpace(caller.PrincipalId))
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "The caller has no identity.");
        }
    }

    /// <summary>The caller's effective role in this class (Lead, Classroom or Observer); refuses strangers.</summary>
    private RoomRole Admit(RoomCaller caller)
    {
        CheckCaller(caller);
        var setup = State.Setup ?? throw new RoomRuleException(RoomErrorCode.NotFound, "No such class.");
        switch (caller.Role)
        {
            case RoomRole.Lead when caller.PrincipalId == setup.LeadTeacher.Id || caller.ClassroomId == setup.LeadClassroom.Id:
                return RoomRole.Lead;
            case RoomRole.Lead:
                throw new RoomRuleException(RoomErrorCode.Forbidden, "You are not the lead teacher or lead classroom of this class.");
            case RoomRole.Classroom when caller.ClassroomId is { } id && setup.RuralClassrooms.Any(c => c.Id == id):
                return RoomRole.Classroom;
            case RoomRole.Classroom:
                throw new RoomRuleException(RoomErrorCode.Forbidden, "Your classroom is not part of this class.");
            case RoomRole.Observer or RoomRole.Admin:
                return RoomRole.Observer;
            default:
                throw new RoomRuleException(RoomErrorCode.Forbidden, "This role cannot take part in a class.");
        }
    }

    private void RequireLead(RoomCaller caller)
    {
        if (Admit(caller) != RoomRole.Lead)
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only the lead teacher can do this.");
        }
    }

    /// <summary>A rural classroom caller that has joined; returns its classroom id.</summary>
    private string RequireClassroomMember(RoomCaller caller)
    {
        if (Admit(caller) != RoomRole.Classroom)
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only a rural classroom can do this.");
        }
        RequireJoined(caller);
        return caller.ClassroomId!;
    }

    private ParticipantRecord RequireJoined(RoomCaller caller) =>
        State.Participants.Find(p => p.PrincipalId == caller.PrincipalId && p.Connection != ConnectionState.Left)
        ?? throw new RoomRuleException(RoomErrorCode.NotJoined, "Join the class first.");

    private void RequireMutable()
    {
        if (State.Status == ClassState.Ended)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidState, "The class has ended.");
        }
    }

    private void RequireLive()
    {
        RequireMutable();
        if (State.Status != ClassState.Live)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidState, "The class has not started yet.");
        }
    }

    private ClassroomRecord RequireClassroom(string? classroomId) =>
        State.Classrooms.Find(c => c.Id == classroomId)
        ?? throw new RoomRuleException(RoomErrorCode.NotFound, "That classroom is not part of this class.");

    private string? ClassroomOf(RoomCaller caller, RoomRole role) => role switch
    {
        RoomRole.Lead => State.Setup!.LeadClassroom.Id,
        RoomRole.Classroom => caller.ClassroomId,
        _ => null,
    };

    private static void ValidateSetup(ClassSetup? setup)
    {
        if (setup is null || setup.LeadTeacher is null || setup.LeadClassroom is null || setup.RuralClassrooms is null)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "A class needs a lead teacher, a lead classroom and its rural classrooms.");
        }
        if (string.IsNullOrWhiteSpace(setup.LeadTeacher.Id) || string.IsNullOrWhiteSpace(setup.LeadClassroom.Id))
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "The lead teacher and lead classroom need ids.");
        }
        if (setup.RuralClassrooms.Count > MaxRuralClassrooms || setup.RuralClassrooms.Any(c => c is null || string.IsNullOrWhiteSpace(c.Id)))
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, $"Between 0 and {MaxRuralClassrooms} rural classrooms, each with an id.");
        }
        var ids = setup.RuralClassrooms.Select(c => c.Id).Append(setup.LeadClassroom.Id).ToList();
        if (ids.Distinct(StringComparer.Ordinal).Count() != ids.Count)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "A classroom appears twice in the class.");
        }
        if (setup.MaxOnStage is < 1 or > MaxStageLimit)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, $"Stage size must be between 1 and {MaxStageLimit}.");
        }
        if (string.IsNullOrWhiteSpace(setup.Title) || setup.Title.Length > 200)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "A class title has 1 to 200 characters.");
        }
    }

    private static string Bounded(string? text, int max)
    {
        var t = (text ?? "").Trim();
        return t.Length <= max ? t : t[..max];
    }
}
