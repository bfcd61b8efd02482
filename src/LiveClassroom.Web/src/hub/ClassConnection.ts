import { applyBatch, applyEvent } from "./reduce";
import { RoomConnection, type RoomHub } from "./RoomConnection";
import type { ClassSnapshot, ClassView, RoomEvent, RoomEventBatch, You } from "./types";

export type { LinkStatus } from "./RoomConnection";

const classroomHub: RoomHub = {
  path: "/hubs/classroom",
  event: "RoomEvent",
  batchEvent: "RoomEvents",
  join: "JoinClass",
  leave: "LeaveClass",
  fatalCodes: ["forbidden", "class_not_found", "invalid_state"],
  // A class snapshot carries its sequence number (reduce.ts drops the events it already covers).
  holdEventsWhileJoining: true,
};

/**
 * One SignalR connection joined to one class. State machine: connecting → connected ⇄ reconnecting
 * (→ connecting again on a closed connection), until stop(). Holds the class snapshot kept
 * current by RoomEvents; a sequence gap triggers Resync. Events that arrive while a join awaits its answer are applied
 * after its snapshot (RoomConnection.heldEvents), not taken for a gap against the snapshot held before. Listeners are
 * told of every change.
 */
export class ClassConnection extends RoomConnection<ClassView, ClassView, RoomEvent> {
  snapshot: ClassSnapshot | null = null;
  you: You | null = null;
  onEvent: (e: RoomEvent, before: ClassSnapshot, after: ClassSnapshot) => void = () => {};

  constructor(
    readonly classId: string,
    token: () => string | null,
  ) {
    super(classId, token, classroomHub);
  }

  protected joined(view: ClassView): void {
    this.snapshot = view.class;
    this.you = view.you;
    this.changed();
    this.rejoinIfDropped();
  }

  /** Resync answers with the same view as the join. */
  protected resynced(view: ClassView): void {
    this.joined(view);
  }

  protected handleEvent(e: RoomEvent): void {
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
    this.rejoinIfDropped();
  }

  /** A state write's events in one message: applied in order, the page re-rendered once. */
  protected handleBatch(b: RoomEventBatch): void {
    if (b.classId !== this.classId || !this.snapshot) return;
    const result = applyBatch(this.snapshot, b);
    if (result === null) {
      void this.resync();
      return;
    }
    if (result.snapshot === this.snapshot) return; // already in the snapshot we joined with
    this.snapshot = result.snapshot;
    for (const a of result.applied) this.onEvent(a.event, a.before, a.after);
    this.changed();
    this.rejoinIfDropped();
  }

  /** The class counts this page as dropped while its hub connection is up (the room moved to another node): join again. */
  private rejoinIfDropped(): void {
    const me = this.you && this.snapshot?.participants.find((p) => p.principalId === this.you!.participantId);
    if (me && me.connection !== "Connected" && this.snapshot?.state === "Live") this.rejoin();
  }
}
