namespace LiveClassroom.Server.Apis.Contracts;

public sealed record AcceptClassOrderRequest(Guid? LeadClassroomId, Guid? LeadTeacherId);
