namespace LiveClassroom.Server.Research.Contracts;

public sealed record CommentRequest(int? OffsetSeconds, string? Body, string? CriterionKey);
