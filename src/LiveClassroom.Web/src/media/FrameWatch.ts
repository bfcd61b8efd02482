/**
 * Media liveness on the viewer's side: for each watched video receiver, whether frames stopped being decoded.
 * A receiver is "stalled" once it has decoded at least one frame and framesDecoded has not moved for stallMs
 * (the publisher reloading, its network gone, or the path to us broken); it clears on the next decoded frame.
 *
 * Why the page and not the SFU: what matters is what this viewer actually decodes. The page sees every cause
 * (publisher gone, SFU trouble, our own leg) with no new server events or per-track timers on the SFU's packet
 * path, and it works the same in every room. The page's own link state tells the causes apart (its
 * "network lost" overlay covers everything when the problem is ours).
 */
export class FrameWatch {
  /** Per receiver: frames decoded, when that last moved, stalled, and whether it did not move at the last poll (idle). */
  private readonly seen = new Map<RTCRtpReceiver, { frames: number; movedAt: number; stalled: boolean; idle: boolean }>();
  private timer: number | undefined;

  constructor(
    private readonly receivers: () => Map<string, RTCRtpReceiver>,
    private readonly onChange: () => void,
    private readonly stallMs = 2000,
    private readonly everyMs = 500,
  ) {}

  start(): void {
    if (this.timer === undefined) this.timer = window.setInterval(() => void this.poll(), this.everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.seen.clear();
  }

  /** True while the named slot's frames have stopped (after having flowed). */
  stalled(slot: string): boolean {
    const receiver = this.receivers().get(slot);
    return !!receiver && !!this.seen.get(receiver)?.stalled;
  }

  /** True when the named slot has decoded frames since `at` (performance.now() time), i.e. video flows there again. */
  movedSince(slot: string, at: number): boolean {
    const receiver = this.receivers().get(slot);
    const entry = receiver ? this.seen.get(receiver) : undefined;
    return !!entry && entry.frames > 0 && !entry.stalled && entry.movedAt > at;
  }

  private async poll(): Promise<void> {
    const now = performance.now();
    let changed = false;
    const live = this.receivers();
    for (const receiver of this.seen.keys()) {
      if (![...live.values()].includes(receiver)) this.seen.delete(receiver);
    }
    for (const receiver of live.values()) {
      let frames = 0;
      try {
        (await receiver.getStats()).forEach((s) => {
          if (s.type === "inbound-rtp") frames += s.framesDecoded ?? 0;
        });
      } catch {
        continue; // a closed peer connection: its receivers go with the next rebuild
      }
      const entry = this.seen.get(receiver);
      if (!entry) {
        this.seen.set(receiver, { frames, movedAt: now, stalled: false, idle: true });
        continue;
      }
      const moved = frames !== entry.frames;
      if (moved) {
        entry.frames = frames;
        entry.movedAt = now;
        // Frames move again after a poll without any (the first frames, or video back before it counted as stalled):
        // listeners hear it, since movedSince changed for them (a page's "media moved" mark clears on it).
        if (entry.idle) changed = true;
      }
      entry.idle = !moved;
      const stalled = entry.frames > 0 && now - entry.movedAt > this.stallMs;
      if (stalled !== entry.stalled) {
        entry.stalled = stalled;
        changed = true;
      }
    }
    if (changed) this.onChange();
  }
}
