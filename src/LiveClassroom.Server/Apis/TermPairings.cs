using System.Globalization;
using System.Security.Claims;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Server.Apis.Contracts;
using PersonRef = LiveClassroom.Grains.Pairing.PersonRef;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Apis;

/// <summary>
/// The one path that turns an agreed 1+N class (a confirmed class order, an alliance's pairing) into a pairing on the
/// pairing grain with its term timetable, so its lessons appear on the lead's and the rural classrooms' timetables.
/// Callers check rights and input first; the grain is told as an admin acting for the platform.
/// </summary>
internal static class TermPairings
{
    /// <summary>A pairing to define: who teaches whom, the course and the term's weekly periods.</summary>
    internal sealed record Plan(
        string Name, ClassroomRef Lead, PersonRef LeadTeacher, IReadOnlyList<ClassroomRef> Rural, string Subject, string Grade, string TextbookEdition,
        string TermName, DateOnly TermStart, DateOnly TermEnd, IReadOnlyList<ClassOrderSlot> Slots);

    /// <summary>Defines the pairing and sets its timetable; returns the new pairing's id.</summary>
    public static async Task<string> DefineAsync(IGrainFactory grains, ClaimsPrincipal user, Guid actor, Plan plan)
    {
        var caller = new RoomCaller(actor.ToString(), user.FindFirstValue(LcClaims.Name) ?? "", RoomRole.Admin, null, PrincipalKind.Person);
        var name = plan.Name.Length > 100 ? plan.Name[..100] : plan.Name;
        var pairingId = Guid.CreateVersion7().ToString();
        var pairing = grains.GetGrain<IRemoteClassPairingGrain>(pairingId);
        await pairing.DefineAsync(caller, new PairingDefinition(name, plan.Lead, plan.LeadTeacher, plan.Rural, plan.Subject, plan.Grade, plan.TextbookEdition));
        await pairing.SetTimetableAsync(caller, new TermTimetable(plan.TermName, plan.TermStart, plan.TermEnd,
            [.. plan.Slots.Select(s => new WeeklySlot((DayOfWeek)(s.Day % 7), TimeOnly.ParseExact(s.Start!, "HH:mm", CultureInfo.InvariantCulture),
                s.DurationMinutes, plan.Subject))], [], []));
        return pairingId;
    }

    /// <summary>A required "yyyy-MM-dd" date; the field's problem is added when it is missing or malformed.</summary>
    public static DateOnly? Date(Dictionary<string, string> fields, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            fields[name] = "required";
            return null;
        }
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            fields[name] = "invalid_format";
            return null;
        }
        return date;
    }

    /// <summary>The term's two dates: the end not before the start, and the term under a year long.</summary>
    public static (DateOnly? Start, DateOnly? End) Term(Dictionary<string, string> fields, string? start, string? end)
    {
        var s = Date(fields, "termStart", start);
        var e = Date(fields, "termEnd", end);
        if (s is { } a && e is { } b && (b < a || b.DayNumber - a.DayNumber >= 366))
        {
            fields["termEnd"] = "invalid";
        }
        return (s, e);
    }

    /// <summary>Weekly periods: 1–20, day 1–7, "HH:mm", 10–240 minutes, no two at the same day and time.</summary>
    public static List<ClassOrderSlot> Slots(Dictionary<string, string> fields, IReadOnlyList<ClassOrderSlot>? slots)
    {
        var list = new List<ClassOrderSlot>();
        if (slots is null || slots.Count == 0)
        {
            fields["slots"] = "required";
            return list;
        }
        if (slots.Count > 20)
        {
            fields["slots"] = "too_long";
            return list;
        }
        var seen = new HashSet<(int, TimeOnly)>();
        for (var i = 0; i < slots.Count; i++)
        {
            var s = slots[i];
            if (s is null || s.Day is < 1 or > 7)
            {
                fields[$"slots[{i}].day"] = "invalid";
            }
            else if (!TimeOnly.TryParseExact(s.Start, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var start))
            {
                fields[$"slots[{i}].start"] = "invalid_format";
            }
            else if (s.DurationMinutes is < 10 or > 240)
            {
                fields[$"slots[{i}].durationMinutes"] = "invalid";
            }
            else if (!seen.Add((s.Day, start)))
            {
                fields[$"slots[{i}]"] = "duplicate";
            }
            else
            {
                list.Add(s);
            }
        }
        return list;
    }
}
