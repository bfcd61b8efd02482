import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../i18n";
import { ClassConnection } from "../hub/ClassConnection";
import { describeEvent } from "../hub/reduce";
import { toHubError } from "../hub/errors";
import type { ClassSnapshot, RoomEvent } from "../hub/types";
import { MediaSession, type SlotSpec } from "../media/MediaSession";
import { openLocalMedia, type LocalMedia } from "../media/devices";

export const leadSlots: SlotSpec[] = [
  { name: "stage", kind: "video" },
  { name: "stage-audio", kind: "audio" },
];

export const classroomSlots: SlotSpec[] = [
  { name: "main", kind: "video" },
  { name: "screen", kind: "video" },
  { name: "stage", kind: "video" },
  { name: "main-audio", kind: "audio" },
  { name: "stage-audio", kind: "audio" },
];

/**
 * A participant in a live class: the hub connection (state, events) plus the media session.
 * Both the teacher console and the projector use it. Media is published from the first join:
 * the server decides what to forward (a rural classroom's camera only while it is on stage),
 * so going on stage needs no renegotiation and shows video at once.
 */
export class LiveClass {
  readonly hub: ClassConnection;
  readonly media: MediaSession;
  local: LocalMedia = { camera: null, microphone: null, cameraError: null, microphoneError: null };
  announcements: { id: number; text: string }[] = [];
  mediaError: string | null = null;
  private statsTimer: number | undefined;
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  private localOpened = false;

  constructor(
    classId: string,
    token: () => string | null,
    slots: SlotSpec[],
    private readonly describe: (s: ClassSnapshot, key: string, classroomId?: string, participantId?: string) => string | null,
  ) {
    this.hub = new ClassConnection(classId, token);
    this.media = new MediaSession((offer, desc) => this.hub.invoke<{ sdpAnswer: string }>("Negotiate", offer, desc).then((r) => r.sdpAnswer), slots);
    this.hub.subscribe(() => this.changed());
    this.media.subscribe(() => this.changed());
    this.hub.onJoined = (first) => void this.afterJoin(first);
    this.hub.onEvent = (e) => this.announce(e);
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  changed(): void {
    this.listeners.forEach((l) => l());
  }

  get snapshot(): ClassSnapshot | null {
    return this.hub.snapshot;
  }

  start(): Promise<void> {
    this.statsTimer = window.setInterval(() => void this.reportStats(), 5000);
    return this.hub.start();
  }

  private async afterJoin(first: boolean): Promise<void> {
    if (this.hub.snapshot?.state === "ended") return;
    if (!this.localOpened) {
      this.localOpened = true;
      this.local = await openLocalMedia();
      await this.media.setCamera(this.local.camera);
      await this.media.setMicrophone(this.local.microphone);
      this.changed();
    }
    try {
      // After a hub reconnect the network may have changed under us: restart ICE.
      await this.media.negotiate(!first);
      this.mediaError = null;
    } catch (e) {
      this.mediaError = toHubError(e).localized;
    }
    this.changed();
  }

  private announce(e: RoomEvent): void {
    this.countReconnect(e);
    if (e.type === "ClassOpened" && this.media.state !== "connected") void this.afterJoin(true);
    const d = describeEvent(e);
    const s = this.hub.snapshot;
    if (!d || !s) return;
    const text = this.describe(s, d.key, d.classroomId, d.participantId);
    if (!text) return;
    this.announcements = [...this.announcements.slice(-4), { id: this.nextId++, text }];
  }

  /** Reconnects per classroom seen by this page (lost → connected), for attendance when the server sends none. */
  readonly reconnects = new Map<string, number>();
  private readonly lostParticipants = new Set<string>();

  private countReconnect(e: RoomEvent): void {
    if (e.type !== "ConnectionChanged") return;
    const id: string = e.payload?.participantId;
    if (e.payload?.connection === "lost") this.lostParticipants.add(id);
    else if (e.payload?.connection === "connected" && this.lostParticipants.delete(id)) {
      const room = this.hub.snapshot?.participants.find((p) => p.participantId === id)?.classroomId;
      if (room) this.reconnects.set(room, (this.reconnects.get(room) ?? 0) + 1);
    }
  }

  private async reportStats(): Promise<void> {
    if (!this.hub.connected || this.media.state !== "connected") return;
    try {
      await this.hub.invoke("ReportConnectionStats", await this.media.stats());
    } catch {
      // Stats are best effort; the next tick tries again.
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
    clearInterval(this.statsTimer);
    this.media.close();
    this.local.camera?.stop();
    this.local.microphone?.stop();
    await this.hub.stop();
  }
}

/** Creates, starts and disposes a LiveClass for the component's lifetime; re-renders on every change. */
export function useLiveClass(factory: () => LiveClass, deps: unknown[]): { live: LiveClass | null; fatal: string | null } {
  const [live, setLive] = useState<LiveClass | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [, bump] = useState(0);
  useEffect(() => {
    const lc = factory();
    setLive(lc);
    setFatal(null);
    const off = lc.subscribe(() => bump((n) => n + 1));
    lc.start().catch((e) => setFatal(toHubError(e).localized));
    // Exposed for diagnosis on site and for the end-to-end tests (frames decoded per slot).
    (window as unknown as { lcLive?: LiveClass }).lcLive = lc;
    return () => {
      off();
      void lc.stop();
    };
  }, deps);
  return { live, fatal };
}

export function classroomName(s: ClassSnapshot, classroomId: string | null | undefined): string {
  if (!classroomId) return "";
  const row = s.attendance?.classrooms.find((c) => c.classroomId === classroomId);
  if (row) return row.name;
  const p = s.participants.find((x) => x.classroomId === classroomId && x.role === "classroom");
  return p?.displayName ?? t("classroom.unknown");
}

export const eventKeys: Record<string, MessageKey> = {
  HandRaised: "event.handRaised",
  HandLowered: "event.handLowered",
  MuteChanged: "event.muteChanged",
  StageChanged: "event.stageChanged",
  ParticipantJoined: "event.joined",
  ParticipantLeft: "event.left",
  ClassOpened: "event.opened",
  ClassEnded: "event.ended",
};
