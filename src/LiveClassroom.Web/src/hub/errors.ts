import { pick, t } from "../i18n";

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
