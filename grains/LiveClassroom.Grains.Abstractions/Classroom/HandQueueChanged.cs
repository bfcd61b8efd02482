namespace LiveClassroom.Grains.Classroom;

/// <summary>Payload of HandQueueChanged: the whole queue (classroom ids, oldest first) and what changed.</summary>
[GenerateSerializer, Immutable, Alias("lc.HandQueueChanged")]
public sealed record HandQueueChanged(IReadOnlyList<string> Queue, string ClassroomId, string Change);
