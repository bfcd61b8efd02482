namespace LiveClassroom.Server.Apis.Contracts;

public sealed record PublicOrganisationList(IReadOnlyList<PublicOrganisation> Items);
