/**
 * Whether a MediaNodeLost naming this page still concerns its current peer connection (issue #17). Each Negotiate answer
 * carries the class's event sequence as of the answer (docs/HUB.md, `eventSequence`): the grain placed that peer knowing
 * every event numbered up to it, so a loss numbered at or below it was of an earlier peer, and one numbered above it may
 * be of this one. Without this, a loss event that reached the page after its own silence fallback had already moved it
 * to a live node (the membership declaring a hung node dead late, or the event queued behind the answer on the hub
 * connection) tore down the working peer and offered a second time.
 *
 * State: the answered sequence of the current peer connection (none on a fresh one until its answer) and the newest
 * loss not yet acted on. A loss arriving while a negotiation is in flight is judged when its rebuild would start
 * (takeRebuild, in the negotiation queue), against the answer that negotiation brought.
 */
export class NodeLossWatch {
  /** The newest answer's sequence on the current peer connection; -1: none yet (or a server that does not send it). */
  private answered = -1;
  /** The newest MediaNodeLost naming this page that asked for a fresh peer connection and has not had it. */
  private pending: number | null = null;

  /** A fresh peer connection replaced the current one: nothing answered on it yet, and it is the rebuild a loss asked for. */
  newPeer(): void {
    this.answered = -1;
    this.pending = null;
  }

  /** The hub's answer was applied to the current peer connection. */
  answeredAt(sequence: number | undefined): void {
    if (typeof sequence === "number" && Number.isFinite(sequence)) this.answered = Math.max(this.answered, sequence);
  }

  /** The current peer connection's answered sequence (-1: none). */
  get answeredSequence(): number {
    return this.answered;
  }

  /** Whether a loss numbered so concerns the current peer: false when it was answered after the loss (or with it). */
  concerns(lossSequence: number): boolean {
    return lossSequence > this.answered;
  }

  /** A MediaNodeLost naming this page: true (and kept until a fresh peer) when it concerns the current peer. */
  lost(lossSequence: number): boolean {
    if (!this.concerns(lossSequence)) return false;
    this.pending = Math.max(this.pending ?? lossSequence, lossSequence);
    return true;
  }

  /** A loss still waits for its fresh peer connection (judged against the answers applied since it came). */
  get rebuildWanted(): boolean {
    if (this.pending !== null && !this.concerns(this.pending)) this.pending = null;
    return this.pending !== null;
  }
}
