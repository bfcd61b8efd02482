import type { ApiClient } from "../api/client";

/** GET /api/media/ice-servers (docs/API-ROOMS.md, "ICE servers"). */
interface IceServersResponse {
  iceServers: { urls: string[]; username: string; credential: string }[];
  ttlSeconds: number;
  expiresAt: string;
}

/** Credentials are fetched again this long before they expire, so a peer connection never starts with stale ones. */
const refreshMarginMs = 60_000;

/**
 * The TURN servers this participant may use, with short-lived credentials from the server. Fetched once and
 * again after the TTL, when the next peer connection (or ICE restart) is set up. No TURN configured, or the
 * fetch fails: no ICE servers, and media connects directly (UDP or ICE-TCP) as before.
 */
export class IceServerSource {
  private cached: RTCIceServer[] = [];
  private validUntil = 0;
  private pending: Promise<RTCIceServer[]> | null = null;

  constructor(private readonly api: ApiClient) {}

  /** The servers last fetched (for a peer connection created synchronously). */
  get current(): RTCIceServer[] {
    return this.cached;
  }

  /** Fresh servers: the cached ones while valid, otherwise fetched again. */
  get(): Promise<RTCIceServer[]> {
    if (Date.now() < this.validUntil) return Promise.resolve(this.cached);
    this.pending ??= this.fetch().finally(() => (this.pending = null));
    return this.pending;
  }

  private async fetch(): Promise<RTCIceServer[]> {
    try {
      const res = await this.api.get<IceServersResponse>("/api/media/ice-servers");
      this.cached = res.iceServers.map((s) => ({ urls: s.urls, username: s.username, credential: s.credential }));
      this.validUntil = Date.now() + Math.max(0, res.ttlSeconds * 1000 - refreshMarginMs);
    } catch {
      // Keep what we had; try again on the next negotiation.
      this.validUntil = 0;
    }
    return this.cached;
  }
}
