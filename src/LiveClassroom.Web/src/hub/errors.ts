import { pick, t, type MessageKey } from "../i18n";

/** A refused hub call: HUB.md puts {error, message, messageZh[, ownerUrl]} as JSON after "HubException: ". */
export class HubError extends Error {
  constructor(
    readonly code: string,
    readonly body: { message?: string; messageZh?: string; ownerUrl?: string | null },
  ) {
    super(body.message || code);
  }

  get localized(): string {
    return pick(this.body.messageZh, this.body.message) || t("error.hub", { code: this.code });
  }
}

export function toHubError(e: unknown): HubError {
  if (e instanceof HubError) return e;
  const text = e instanceof Error ? e.message : String(e);
  const at = text.indexOf("HubException: ");
  if (at >= 0) {
    const json = text.slice(at + "HubException: ".length);
    try {
      const body = JSON.parse(json);
      return new HubError(body.error ?? "error", body);
    } catch {
      return new HubError("error", { message: json });
    }
  }
  return new HubError("connection", { message: t("error.connection") });
}

/** Negotiation refusals the client words itself (docs/HUB.md, "Errors"); others keep the server's message. */
const mediaErrorKeys: Record<string, MessageKey> = {
  invalid_sdp: "mediaError.malformed",
  bad_sdp: "mediaError.malformed",
  sdp_unsupported: "mediaError.unsupported",
  media_fingerprint_changed: "mediaError.fingerprintChanged",
  media_unavailable: "mediaError.unavailable",
  unavailable: "mediaError.unavailable",
  connection: "mediaError.connection",
};

/** A failed media negotiation in the UI's language, naming its real reason. */
export function localizedMediaError(e: unknown): string {
  const err = toHubError(e);
  const key = mediaErrorKeys[err.code];
  return key ? t(key) : err.localized;
}
