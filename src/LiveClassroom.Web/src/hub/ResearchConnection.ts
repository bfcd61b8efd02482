import { HubConnection, HubConnectionState } from "@microsoft/signalr";
import { buildHubConnection, ownerBase } from "./connect";
import { toHubError } from "./errors";
import type { JoinView, LiveRole, LiveSnapshot, ResearchEvent } from "../api/research";

export type LinkStatus = "connecting" | "connected" | "reconnecting";

/** Refusals that retrying cannot fix: the page shows them instead of looping. */
const fatalCodes = ["forbidden", "not_a_member", "not_a_person", "session_not_found", "session_cancelled", "session_ended", "bad_input"];

/**
 * One SignalR connection to /hubs/research joined to one session. State machine: connecting → connected ⇄
 * reconnecting (→ connecting again on room_moved / RoomMoved or a closed connection), until stop().
 * Every LiveChanged event carries a whole snapshot; a gap in seq (or a reconnect) still asks for Resync, since
 * the pushed snapshot is the participants' view and the host's own view may differ.
 */
export class ResearchConnection {
  snapshot: LiveSnapshot | null = null;
  myRole: LiveRole | null = null;
  personId: string | null = null;
  canOrganise = false;
  status: LinkStatus = "connecting";
  lastError: unknown = null;
  /** performance.now() when the current snapshot arrived: local countdowns run from it. */
  receivedAt = 0;
  /** Server clock − local clock (ms), from the latest snapshot's serverTime. */
  clockOffsetMs = 0;
  /** Called after every (re)join: the media layer renegotiates (with an ICE restart after the first). */
  onJoined: (firstJoin: boolean) => void = () => {};
  onSnapshot: (before: LiveSnapshot | null, after: LiveSnapshot) => void = () => {};
  private conn: HubConnection | null = null;
  private stopped = false;
  private baseUrl = "";
  private lastSeq: number | null = null;
  private joinedOnce = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly sessionId: string,
    private readonly token: () => string | null,
  ) {}

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    this.listeners.forEach((l) => l());
  }

  /** The server's "now" in ms since the epoch. */
  serverNow(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Seconds since the current snapshot arrived. */
  sinceSnapshot(): number {
    return (performance.now() - this.receivedAt) / 1000;
  }

  async start(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.connectOnce();
        return;
      } catch (e) {
        this.lastError = e;
        const err = toHubError(e);
        if (fatalCodes.includes(err.code)) {
          this.changed();
          throw err;
        }
        if (err.code === "room_moved" && err.body.ownerUrl) this.baseUrl = ownerBase(err.body.ownerUrl);
        this.status = "connecting";
        this.changed();
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }

  private async connectOnce(): Promise<void> {
    // Detach the previous connection first: its onclose must not start a second, parallel reconnect loop.
    const previous = this.conn;
    this.conn = null;
    await previous?.stop().catch(() => {});
    if (this.stopped) return;
    const conn = buildHubConnection(`${this.baseUrl}/hubs/research`, this.token);
    conn.on("ResearchEvent", (e: ResearchEvent) => this.handleEvent(e));
    conn.on("RoomMoved", (e: { classId: string; ownerUrl: string | null }) => {
      if (e.classId !== this.sessionId) return;
      if (e.ownerUrl) this.baseUrl = ownerBase(e.ownerUrl);
      this.status = "reconnecting";
      this.changed();
      this.restart();
    });
    conn.onreconnecting(() => {
      this.status = "reconnecting";
      this.changed();
    });
    conn.onreconnected(() => void this.join().catch(() => this.restart()));
    conn.onclose(() => {
      if (this.stopped || this.conn !== conn) return;
      this.status = "reconnecting";
      this.changed();
      this.restart();
    });
    this.conn = conn;
    await conn.start();
    await this.join();
  }

  private restart(): void {
    this.start().catch((e) => {
      this.lastError = e;
      this.changed();
    });
  }

  private async join(): Promise<void> {
    const view = await this.conn!.invoke<JoinView>("JoinSession", this.sessionId);
    this.myRole = view.myRole;
    this.personId = view.personId;
    this.canOrganise = view.canOrganise;
    // Events sent before this join may be older than its snapshot: start counting afresh.
    this.lastSeq = null;
    this.status = "connected";
    this.lastError = null;
    this.accept(view.snapshot);
    const first = !this.joinedOnce;
    this.joinedOnce = true;
    this.onJoined(first);
  }

  private handleEvent(e: ResearchEvent): void {
    if (e.sessionId !== this.sessionId || !this.snapshot) return;
    if (this.lastSeq !== null && e.seq <= this.lastSeq) return; // late duplicate
    const gap = this.lastSeq !== null && e.seq > this.lastSeq + 1;
    this.lastSeq = e.seq;
    if (e.type === "LiveChanged" && e.payload) this.accept(e.payload);
    if (gap) void this.resync();
  }

  private accept(next: LiveSnapshot): void {
    const before = this.snapshot;
    this.snapshot = next;
    this.receivedAt = performance.now();
    const server = Date.parse(next.serverTime);
    if (!Number.isNaN(server)) this.clockOffsetMs = server - Date.now();
    this.onSnapshot(before, next);
    this.changed();
  }

  async resync(): Promise<void> {
    try {
      this.accept(await this.conn!.invoke<LiveSnapshot>("Resync", this.sessionId));
    } catch {
      // The reconnect path re-joins and brings a fresh snapshot anyway.
    }
  }

  /** Invokes a hub method for this session; the answer (a snapshot) is applied; rejects with a HubError. */
  async invoke<T = LiveSnapshot>(method: string, ...args: unknown[]): Promise<T> {
    if (!this.conn || this.conn.state !== HubConnectionState.Connected) throw toHubError(new Error("not connected"));
    try {
      return await this.conn.invoke<T>(method, this.sessionId, ...args);
    } catch (e) {
      throw toHubError(e);
    }
  }

  /** A state-changing call: its answer is the caller's fresh snapshot. */
  async act(method: string, ...args: unknown[]): Promise<void> {
    const snap = await this.invoke<LiveSnapshot>(method, ...args);
    if (snap && typeof snap === "object" && "status" in snap) this.accept(snap);
  }

  get connected(): boolean {
    return this.conn?.state === HubConnectionState.Connected && this.status === "connected";
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.conn?.invoke("LeaveSession", this.sessionId).catch(() => {});
    await this.conn?.stop().catch(() => {});
  }
}
