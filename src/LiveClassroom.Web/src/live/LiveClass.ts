import { ClassConnection } from "../hub/ClassConnection";
import { toHubError } from "../hub/errors";
import type { ClassSnapshot, LinkFigures, You } from "../hub/types";
import type { SlotSpec } from "../media/MediaSession";
import { announce } from "./announce";
import { classroomParticipant } from "./classrooms";
import { LiveRoom, useLiveRoom } from "./LiveRoom";

const stageSlots = (): SlotSpec[] =>
  [1, 2, 3, 4].flatMap((n) => [
    { name: `stage${n}`, kind: "video" as const },
    { name: `stage${n}-audio`, kind: "audio" as const },
  ]);

/** The lead receives the classrooms on stage (seats 1–4). */
export const leadSlots: SlotSpec[] = stageSlots();

/** A classroom receives the lead's camera, microphone and screen, and the other classrooms on stage. */
export const classroomSlots: SlotSpec[] = [
  { name: "main", kind: "video" },
  { name: "main-audio", kind: "audio" },
  { name: "screen", kind: "video" },
  ...stageSlots(),
];

/**
 * A participant in a live class: the hub connection (state, events) plus the media session.
 * Both the teacher console and the projector use it. Media is negotiated from the first join, but a rural
 * classroom sends only what the server would forward: its camera while on stage, its microphone while on stage
 * and not muted by the lead (the SFU drops the rest, recording included). Going on stage switches the negotiated
 * senders on (setParameters) — no renegotiation, video within a keyframe — and a 300 kbps rural uplink stays
 * free for the teacher's picture the rest of the class.
 */
export class LiveClass extends LiveRoom<ClassConnection> {
  private timers: number[] = [];
  private sendingNow: { camera: boolean; microphone: boolean } | null = null;
  /** When MediaNodeLost named each participant (performance.now() time): see mediaGone. */
  private readonly mediaLostAt = new Map<string, number>();
  /** The lead's view of each classroom's link as the SFU measures it (GetLinks, every 5 s), by classroom id. */
  links = new Map<string, LinkFigures>();

  constructor(
    classId: string,
    token: () => string | null,
    slots: SlotSpec[],
    private readonly audience: "lead" | "classroom",
  ) {
    // The lead teacher simulcasts (every classroom watches them; the SFU picks a layer per classroom and the recorder
    // takes the best flowing one); classrooms send one encoding (docs/RURAL-LINKS.md, "Simulcast from the lead teacher").
    super(new ClassConnection(classId, token), slots, token, audience === "lead");
    this.hub.onJoined = (first) => {
      // Camera and microphone open on joining, so the teacher sees the preview before starting the class.
      void this.openLocal().catch(() => {});
      void this.connectMedia(!first);
    };
    this.hub.onEvent = (e, before, after) => {
      if (e.type === "ClassOpened") void this.connectMedia(false);
      if (e.type === "MediaNodeLost") this.mediaNodeLost(e.seq, e.payload?.principalIds ?? []);
      this.addAnnouncement(announce(e, before, after, this.audience));
    };
    if (audience === "classroom") {
      this.applySending();
      this.hub.subscribe(() => this.applySending());
    }
  }

  /**
   * A media node died (an edge of a class spread over nodes): the named participants' seats are marked (mediaGone), and
   * this page, if named, starts a fresh peer connection placed on a live node — unless its current peer was answered
   * after the event (its sequence at or below the answer's, MediaSession.reconnect): its own silence fallback already
   * moved it (issue #17). That peer is live, so its own seat is not marked either. Other pages' answers are not known
   * here: their seats stay marked until video decodes on them after the event, which for a peer that never stopped is
   * the frame watch's next poll; the re-render after it clears such a mark without waiting for some other change.
   */
  private mediaNodeLost(sequence: number, principalIds: string[]): void {
    const me = this.hub.you?.participantId;
    const mine = !!me && principalIds.includes(me);
    const stale = mine && !this.media.nodeLossConcerns(sequence);
    const now = performance.now();
    for (const id of principalIds) if (!(stale && id === me)) this.mediaLostAt.set(id, now);
    window.setTimeout(() => this.changed(), 1000);
    if (mine && !stale) this.media.reconnect(sequence);
  }

  /** A classroom's senders follow the stage and the lead's mute (see the class comment). */
  private applySending(): void {
    const s = this.hub.snapshot;
    const me = this.hub.you?.classroomId;
    const room = s?.classrooms.find((c) => c.classroomId === me);
    const seen = !!room && (room.isLead || s!.stage.some((seat) => seat.classroomId === me));
    const want = { camera: seen, microphone: seen && !room!.mutedByLead };
    if (this.sendingNow?.camera !== want.camera) void this.media.setSending("camera", want.camera).catch(() => {});
    if (this.sendingNow?.microphone !== want.microphone) void this.media.setSending("microphone", want.microphone).catch(() => {});
    this.sendingNow = want;
  }

  /**
   * The classroom's media is gone for now: the participant speaking for it (classrooms.ts) had published and has no
   * peer (its media node was lost, MediaNodeLost; or it rejoined and has not negotiated yet). Its stage video is
   * marked at once rather than left frozen until the frame watch notices, and until its MediaChanged brings a new peer.
   */
  mediaGone(classroomId: string): boolean {
    const s = this.hub.snapshot;
    const p = s ? classroomParticipant(s, classroomId) : undefined;
    if (!p || p.connection !== "Connected" || p.peerId !== null) return false;
    // Named by MediaNodeLost while on stage: marked until video decodes again on its seat. A rural classroom's page is
    // not sent other classrooms' media changes (docs/HUB.md), so it may never hear that this classroom published, nor
    // of its new peer: only the frames tell it.
    const lostAt = this.mediaLostAt.get(p.principalId);
    const seat = s!.stage.find((x) => x.classroomId === classroomId)?.seat;
    if (lostAt !== undefined && seat !== undefined) return !this.media.framesSince(`stage${seat}`, lostAt);
    // Otherwise: it had published and has no peer yet (it rejoined and has not negotiated again).
    return !!p.publishes;
  }

  get snapshot(): ClassSnapshot | null {
    return this.hub.snapshot;
  }

  get you(): You | null {
    return this.hub.you;
  }

  start(): Promise<void> {
    this.timers.push(window.setInterval(() => void this.reportStats(), 5000));
    if (this.audience === "lead") this.timers.push(window.setInterval(() => void this.refreshLinks(), 5000));
    // Attendance minutes and reconnects live only in snapshots: refresh them for those who see them.
    this.timers.push(window.setInterval(() => this.hub.you?.seesAttendance && this.hub.connected && void this.hub.resync(), 30000));
    return super.start();
  }

  /** Only the lead and the classrooms publish; a watching admin or researcher receives only (HUB.md). */
  get publishes(): boolean {
    return this.hub.you?.role === "Lead" || this.hub.you?.role === "Classroom";
  }

  /** Negotiates once the class is live (the hub refuses Negotiate before); after a hub reconnect, with an ICE restart. */
  private async connectMedia(iceRestart: boolean): Promise<void> {
    const s = this.hub.snapshot;
    if (s?.state !== "Live") return;
    const seats = s.maxOnStage;
    this.media.limitSlots((slot) => !/^stage(\d+)/.test(slot.name) || Number(/^stage(\d+)/.exec(slot.name)![1]) <= seats);
    await this.negotiateMedia(iceRestart);
  }

  private async reportStats(): Promise<void> {
    if (!this.hub.connected || this.media.state !== "connected") return;
    try {
      await this.hub.invoke("ReportConnectionStats", await this.media.stats());
    } catch {
      // Stats are best effort; the next tick tries again.
    }
  }

  private async refreshLinks(): Promise<void> {
    if (!this.hub.connected || this.hub.snapshot?.state !== "Live" || this.hub.you?.role !== "Lead") return;
    try {
      const figures = await this.hub.invoke<LinkFigures[]>("GetLinks");
      this.links = new Map(figures.filter((f) => f.role === "Classroom" && f.classroomId).map((f) => [f.classroomId!, f]));
      this.changed();
    } catch {
      // Best effort, like the stats reports: the next tick tries again.
    }
  }

  /** Runs a hub action; a refusal comes back as the server's reason in the UI's language. */
  async act(method: string, ...args: unknown[]): Promise<string | null> {
    try {
      await this.hub.invoke(method, ...args);
      return null;
    } catch (e) {
      return toHubError(e).localized;
    }
  }

  async stop(): Promise<void> {
    this.timers.forEach((t) => clearInterval(t));
    await super.stop();
  }
}

/** Creates, starts and disposes a LiveClass for the component's lifetime (window.lcLive); re-renders on every change. */
export function useLiveClass(factory: () => LiveClass, deps: unknown[]): { live: LiveClass | null; fatal: string | null } {
  return useLiveRoom(factory, deps, (e) => toHubError(e).localized, "lcLive");
}
