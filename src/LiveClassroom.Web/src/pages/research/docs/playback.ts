/** Plays, swallowing a refused autoplay: an unhandled play() rejection would be a console error. */
export function playQuietly(v: HTMLVideoElement, muteIfRefused = false): void {
  const p = v.play();
  if (!p) return;
  p.catch((e: unknown) => {
    if (!muteIfRefused || (e as DOMException)?.name !== "NotAllowedError" || v.muted) return;
    // Browsers allow muted autoplay; the viewer can unmute from the controls.
    v.muted = true;
    v.play()?.catch(() => {});
  });
}

/** Once metadata is known: jump to `seconds` (kept inside the recording) and start playing. */
export function startAt(v: HTMLVideoElement, seconds: number): void {
  const end = Number.isFinite(v.duration) && v.duration > 0 ? v.duration : Infinity;
  if (seconds > 0) v.currentTime = Math.min(seconds, end);
  playQuietly(v, true);
}

/** Largest tolerated drift between a follower and the leader before it is corrected (seconds). */
export const maxDrift = 0.3;

/**
 * Keeps several videos on one timeline. Each video i plays the shared time `t` at its own position
 * `t + offset[i]` (teachers' lessons do not start at the same second). The first video that can play leads;
 * every tick a follower that drifted more than `maxDrift` from where it should be is put back.
 */
export class VideoSync {
  private readonly videos = new Map<string, { el: HTMLVideoElement; offset: number }>();
  private timer: number | null = null;

  attach(id: string, el: HTMLVideoElement | null, offset: number): void {
    if (!el) {
      this.videos.delete(id);
      return;
    }
    this.videos.set(id, { el, offset });
  }

  setOffset(id: string, offset: number): void {
    const v = this.videos.get(id);
    if (!v) return;
    v.offset = offset;
    this.place(v, this.time());
  }

  /** The shared time: the leader's position minus its offset. */
  time(): number {
    const lead = this.leader();
    return lead ? Math.max(0, lead.el.currentTime - lead.offset) : 0;
  }

  /** The longest shared time any video can reach. */
  duration(): number {
    let d = 0;
    for (const v of this.videos.values()) if (Number.isFinite(v.el.duration)) d = Math.max(d, v.el.duration - v.offset);
    return Math.max(0, d);
  }

  playing(): boolean {
    const lead = this.leader();
    return !!lead && !lead.el.paused;
  }

  play(): void {
    const at = this.time();
    for (const v of this.videos.values()) {
      this.place(v, at);
      if (this.inRange(v, at)) playQuietly(v.el, true);
    }
    this.startTicking();
  }

  pause(): void {
    for (const v of this.videos.values()) v.el.pause();
    this.stopTicking();
  }

  seek(at: number): void {
    for (const v of this.videos.values()) this.place(v, at);
  }

  /** Corrects followers that drifted; a follower whose part of the timeline has not started waits at its start. */
  tick(): void {
    const lead = this.leader();
    if (!lead) return;
    const at = lead.el.currentTime - lead.offset;
    for (const v of this.videos.values()) {
      if (v === lead) continue;
      const want = at + v.offset;
      if (!this.inRange(v, at)) {
        if (!v.el.paused) v.el.pause();
        continue;
      }
      if (Math.abs(v.el.currentTime - want) > maxDrift) v.el.currentTime = want;
      if (lead.el.paused !== v.el.paused) {
        if (lead.el.paused) v.el.pause();
        else playQuietly(v.el, true);
      }
    }
  }

  dispose(): void {
    this.stopTicking();
    this.videos.clear();
  }

  private leader(): { el: HTMLVideoElement; offset: number } | null {
    let first: { el: HTMLVideoElement; offset: number } | null = null;
    for (const v of this.videos.values()) {
      if (v.el.readyState >= HTMLMediaElement.HAVE_METADATA) return v;
      first ??= v;
    }
    return first;
  }

  private inRange(v: { el: HTMLVideoElement; offset: number }, at: number): boolean {
    const pos = at + v.offset;
    return pos >= 0 && (!Number.isFinite(v.el.duration) || pos <= v.el.duration);
  }

  private place(v: { el: HTMLVideoElement; offset: number }, at: number): void {
    if (v.el.readyState < HTMLMediaElement.HAVE_METADATA) return;
    const end = Number.isFinite(v.el.duration) ? v.el.duration : Infinity;
    v.el.currentTime = Math.min(end, Math.max(0, at + v.offset));
  }

  private startTicking(): void {
    if (this.timer === null) this.timer = window.setInterval(() => this.tick(), 250);
  }

  private stopTicking(): void {
    if (this.timer !== null) window.clearInterval(this.timer);
    this.timer = null;
  }
}
