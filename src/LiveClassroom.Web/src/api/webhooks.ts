// Webhooks of an organisation (docs/OPERATIONS.md, "Webhooks"); shapes of /api/webhooks.

export const webhookEvents = [
  "class.opened",
  "class.ended",
  "attendance.closed",
  "recording.ready",
  "recording.published",
  "recording.taken_down",
  "research.session_ended",
  "review.decided",
  "registration.decided",
] as const;

export type WebhookEvent = (typeof webhookEvents)[number];

export interface Webhook {
  id: string;
  organisationId: string;
  organisationName: string;
  url: string;
  events: string[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookOrganisation {
  id: string;
  name: string;
  kind: string;
}

export interface WebhookList {
  webhooks: Webhook[];
  events: string[];
  organisations: WebhookOrganisation[];
}

export interface WebhookCreated {
  webhook: Webhook;
  secret: string;
}

export type DeliveryStatus = "queued" | "running" | "succeeded" | "failed";

export interface WebhookDelivery {
  id: number;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  replayOf: number | null;
  createdAt: string;
  deliveredAt: string | null;
}
