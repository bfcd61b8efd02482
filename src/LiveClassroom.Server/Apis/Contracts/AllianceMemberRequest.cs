namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The role to give a person in an alliance: expert, core or member (the chief is fixed at application).</summary>
public sealed record AllianceMemberRequest(string? Role);
