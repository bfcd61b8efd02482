namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>An alliance's activity in a school year, computed from the platform's rows: the schools its members belong to, ended research sessions it held, ended live classes its members led, library resources its members published, and its members' attendance in research sessions.</summary>
public sealed record AllianceFigures(int Year, int Members, int Schools, int SessionsHeld, int LessonsBroadcast, int ResourcesPublished,
    int ParticipatingMembers, int Attendances);
