namespace LiveClassroom.Server.Apis.Contracts;

public sealed record PeoplePage(IReadOnlyList<PersonView> Items, long Total, int Page, int PageSize);
