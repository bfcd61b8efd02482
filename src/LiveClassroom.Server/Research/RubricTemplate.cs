namespace LiveClassroom.Server.Research;

public sealed record RubricTemplate(Guid Id, string Name, string Description, Rubric Rubric);
