/**
 * Exactly-once user actions (docs/HUB.md "Action keys", docs/API-RESEARCH.md "Idempotency-Key"): each user action gets
 * a random key, and every retry of that same action sends the same key, so a server that did the first attempt but
 * whose answer was lost (a hung or failed node) returns the first result instead of doing it twice.
 */

/** A fresh key: 32 hex digits. crypto.getRandomValues works outside secure contexts too (a projector on plain http). */
export function newActionKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The key of one pending action: the same key while the action has not succeeded and is retried with the same payload;
 * a new key once it succeeded or once the user changed what it sends (that is another action).
 */
export class ActionKey {
  private key: string | null = null;
  private payload = "";

  /** The key for this attempt. */
  for(payload: unknown = null): string {
    const p = JSON.stringify(payload ?? null);
    if (this.key === null || p !== this.payload) {
      this.key = newActionKey();
      this.payload = p;
    }
    return this.key;
  }

  /** The action succeeded: the next attempt is a new action. */
  done(): void {
    this.key = null;
  }
}
