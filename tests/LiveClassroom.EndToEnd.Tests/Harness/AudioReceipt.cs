namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>
/// Cumulative audio receive counters of a page's main-audio slot and the codec it decodes. <see cref="Discarded"/> is
/// the jitter buffer's <c>packetsDiscarded</c>: libwebrtc's NetEq splits a RED packet into its blocks and counts every
/// block whose frame it already holds or has played (the redundant copy of a packet that did arrive) there, while
/// <c>fecPacketsReceived</c> counts only Opus in-band FEC (its "primary" test is the Opus-level priority, which a RED
/// block does not change) — so RED shows in <see cref="Discarded"/>, never in <see cref="Fec"/>.
/// </summary>
public sealed record AudioReceipt(string Codec = "", long Lost = 0, long Fec = 0, long FecDiscarded = 0, long ConcealmentEvents = 0, long Discarded = 0);
