import { HubConnection, HubConnectionState } from "@microsoft/signalr";
import { applyEvent } from "./reduce";
import { buildHubConnection, ownerBase } from "./connect";
import { toHubError } from "./errors";
import type { ClassSnapshot, ClassView, RoomEvent, You } from "./types";

export type LinkStatus = "connecting" | "connected" | "reconnecting";

/**
 * One SignalR connection joined to one class. State machine: connecting → connected ⇄ reconnecting
 * (→ connecting again on room_moved or a closed connection), until stop(). Holds the class snapshot kept
 * current by RoomEvents; a sequence gap triggers Resync. Listeners are told of every change.
 */
export class ClassConnection {
  snapshot: ClassSnapshot | null = null;
  you: You | null = null;
  status: LinkStatus = "connecting";
  lastError: unknown = null;
  private conn: HubConnection | null = null;
  private stopped = false;
  private baseUrl = "";
  private readonly listeners = new Set<() => void>();
  /** Called after every (re)join: the media layer renegotiates with an ICE restart. */
  onJoined: (firstJoin: boolean) => void = () => {};
  onEvent: (e: RoomEvent, before: ClassSnapshot, after: ClassSnapshot) => void = () => {};
  private joinedOnce = false;

  constructor(
    readonly classId: string,
    private readonly token: () => string | null,
  ) {}

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    this.listeners.forEach((l) => l());
  }

  async start(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.connectOnce();
        return;
      } catch (e) {
        this.lastError = e;
        const err = toHubError(e);
        // Refusals that retrying cannot fix are surfaced to the page instead of looping.
        if (["forbidden", "class_not_found", "invalid_state"].includes(err.code)) {
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
    const conn = buildHubConnection(`${this.baseUrl}/hubs/classroom`, this.token);
    conn.on("RoomEvent", (e: RoomEvent) => this.handleEvent(e));
    conn.on("RoomMoved", (e: { classId: string; ownerUrl: string | null }) => {
      if (e.classId !== this.classId) return;
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

  /** Starts over in the background; a refusal that retrying cannot fix stays in lastError for the page. */
  private restart(): void {
    this.start().catch((e) => {
      this.lastError = e;
      this.changed();
    });
  }

  private async join(): Promise<void> {
    const view = await this.conn!.invoke<ClassView>("JoinClass", this.classId);
    this.snapshot = view.class;
    this.you = view.you;
    this.status = "connected";
    this.lastError = null;
    const first = !this.joinedOnce;
    this.joinedOnce = true;
    this.changed();
    this.onJoined(first);
  }

  private handleEvent(e: RoomEvent): void {
    if (e.classId !== this.classId || !this.snapshot) return;
    const next = applyEvent(this.snapshot, e);
    if (next === null) {
      void this.resync();
      return;
    }
    if (next === this.snapshot) return; // already in the snapshot we joined with
    const before = this.snapshot;
    this.snapshot = next;
    this.onEvent(e, before, next);
    this.changed();
  }

  async resync(): Promise<void> {
    try {
      const view = await this.conn!.invoke<ClassView>("Resync", this.classId);
      this.snapshot = view.class;
      this.you = view.you;
      this.changed();
    } catch {
      // The reconnect path re-joins and brings a fresh snapshot anyway.
    }
  }

  /** Invokes a hub method for this class; rejects with a HubError carrying the server's reason. */
  async invoke<T = void>(method: string, ...args: unknown[]): Promise<T> {
    if (!this.conn || this.conn.state !== HubConnectionState.Connected) throw toHubError(new Error("not connected"));
    try {
      return await this.conn.invoke<T>(method, this.classId, ...args);
    } catch (e) {
      throw toHubError(e);
    }
  }

  get connected(): boolean {
    return this.conn?.state === HubConnectionState.Connected && this.status === "connected";
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.conn?.invoke("LeaveClass", this.classId).catch(() => {});
    await this.conn?.stop().catch(() => {});
  }
}
