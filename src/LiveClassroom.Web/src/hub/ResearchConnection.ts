import { RoomConnection, type RoomHub } from "./RoomConnection";
import type { JoinView, LiveRole, LiveSnapshot, ResearchEvent } from "../api/research";

export type { LinkStatus } from "./RoomConnection";

const researchHub: RoomHub = {
  path: "/hubs/research",
  event: "ResearchEvent",
  join: "JoinSession",
  leave: "LeaveSession",
  fatalCodes: ["forbidden", "not_a_member", "not_a_person", "session_not_found", "session_cancelled", "session_ended", "bad_input"],
};

/**
 * One SignalR connection to /hubs/research joined to one session. State machine: connecting → connected ⇄
 * reconnecting (→ connecting again on a closed connection), until stop().
 * Every LiveChanged event carries a whole snapshot; a gap in seq (or a reconnect) still asks for Resync, since
 * the pushed snapshot is the participants' view and the host's own view may differ.
 */
export class ResearchConnection extends RoomConnection<JoinView, LiveSnapshot, ResearchEvent, LiveSnapshot> {
  snapshot: LiveSnapshot | null = null;
  myRole: LiveRole | null = null;
  personId: string | null = null;
  canOrganise = false;
  /** performance.now() when the current snapshot arrived: local countdowns run from it. */
  receivedAt = 0;
  /** Server clock − local clock (ms), from the latest snapshot's serverTime. */
  clockOffsetMs = 0;
  onSnapshot: (before: LiveSnapshot | null, after: LiveSnapshot) => void = () => {};
  private lastSeq: number | null = null;
  /** The session's media epoch when this page last joined. */
  private joinedEpoch = 0;

  constructor(
    readonly sessionId: string,
    token: () => string | null,
  ) {
    super(sessionId, token, researchHub);
  }

  /** The server's "now" in ms since the epoch. */
  serverNow(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Seconds since the current snapshot arrived. */
  sinceSnapshot(): number {
    return (performance.now() - this.receivedAt) / 1000;
  }

  protected joined(view: JoinView): void {
    this.myRole = view.myRole;
    this.personId = view.personId;
    this.canOrganise = view.canOrganise;
    // Events sent before this join may be older than its snapshot: start counting afresh.
    this.lastSeq = null;
    this.joinedEpoch = view.snapshot.mediaEpoch ?? 0;
    this.accept(view.snapshot);
  }

  protected resynced(snapshot: LiveSnapshot): void {
    this.accept(snapshot);
  }

  protected handleEvent(e: ResearchEvent): void {
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
    // The session activated again on another node after its node died: this page's hub connection survived, but the
    // session no longer counts it, and its media peer went with that node. Join again; onJoined renegotiates media.
    if (next.status === "live" && (next.mediaEpoch ?? 0) > this.joinedEpoch) this.rejoin();
  }

  /** A state-changing call: its answer is the caller's fresh snapshot. */
  async act(method: string, ...args: unknown[]): Promise<void> {
    const snap = await this.invoke<LiveSnapshot>(method, ...args);
    if (snap && typeof snap === "object" && "status" in snap) this.accept(snap);
  }
}
