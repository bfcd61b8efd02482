namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>Changes a webhook; absent fields stay as they are.</summary>
public sealed record UpdateWebhookRequest(string? Url, IReadOnlyList<string>? Events, string? Description, bool? Enabled);
