namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A delivery with every attempt and the exact body that was signed and sent.</summary>
public sealed record WebhookDeliveryDetail(WebhookDeliveryView Delivery, IReadOnlyList<WebhookAttemptView> AttemptLog, string Body);
