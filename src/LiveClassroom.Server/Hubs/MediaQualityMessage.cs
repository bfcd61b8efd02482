namespace LiveClassroom.Server.Hubs;

/// <summary>
/// What the SFU now sends this participant's page, decided from its downlink estimate (docs/HUB.md, docs/BANDWIDTH.md):
/// <paramref name="Paused"/> — its video is paused and only audio flows (audio-first; the page shows the last frame with
/// a notice); <paramref name="Layer"/> — the simulcast layer (rid, or <c>single</c>) its first video slot carries, null
/// while paused; <paramref name="EstimateKbps"/> — the estimate in kbit/s.
/// </summary>
public sealed record MediaQualityMessage(string ClassId, bool Paused, string? Layer, long EstimateKbps);
