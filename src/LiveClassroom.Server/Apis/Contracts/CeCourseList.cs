namespace LiveClassroom.Server.Apis.Contracts;

public sealed record CeCourseList(int Year, bool RegistrationOpen, IReadOnlyList<CeCourseView> Items);
