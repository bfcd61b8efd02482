namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A webhook's deliveries, newest first.</summary>
public sealed record WebhookDeliveryList(IReadOnlyList<WebhookDeliveryView> Deliveries);
