namespace LiveClassroom.Server.Apis.Contracts;

public sealed record OrganisationForest(IReadOnlyList<OrganisationView> Roots);
