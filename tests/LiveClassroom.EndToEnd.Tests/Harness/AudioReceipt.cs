namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>Cumulative audioreceive counters of a page's main-audio slot and the codec it decodes.</summary>
public sealed record AudioReceipt(string Codec = "", long Lost = 0, long Fec = 0, long FecDiscarded = 0, long ConcealmentEvents = 0);
