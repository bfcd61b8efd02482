import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { ResearchConnection } from "../../hub/ResearchConnection";
import { HubError, toHubError } from "../../hub/errors";
import { MediaSession, type SlotSpec } from "../../media/MediaSession";
import { openLocalMedia, type LocalMedia } from "../../media/devices";
import type { LiveSnapshot } from "../../api/research";
import { segmentKindLabel } from "./util";

export const maxTiles = 12;

/** The receive slots of HUB-RESEARCH.md: host and speaker (video + audio) and the participants' tiles. */
export const researchSlots: SlotSpec[] = [
  { name: "host", kind: "video" },
  { name: "host-audio", kind: "audio" },
  { name: "speaker", kind: "video" },
  { name: "speaker-audio", kind: "audio" },
  ...Array.from({ length: maxTiles }, (_, i) => ({ name: `tile${i + 1}`, kind: "video" as const })),
];

/**
 * A person in a live research session: the hub connection and the media session. Hosts and participants
 * publish camera + microphone from the first join (the SFU decides who is forwarded and heard); observers
 * publish nothing. Turn and segment changes become short sentences for the aria-live log.
 */
export class ResearchLive {
  readonly hub: ResearchConnection;
  readonly media: MediaSession;
  local: LocalMedia = { camera: null, microphone: null, cameraError: null, microphoneError: null };
  mediaError: string | null = null;
  announcements: { id: number; text: string }[] = [];
  private nextId = 1;
  private localOpened: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(sessionId: string, token: () => string | null) {
    this.hub = new ResearchConnection(sessionId, token);
    this.media = new MediaSession((offer, desc) => this.hub.invoke<{ sdpAnswer: string }>("Negotiate", offer, desc).then((r) => r.sdpAnswer), researchSlots);
    this.hub.subscribe(() => this.changed());
    this.media.subscribe(() => this.changed());
    this.hub.onJoined = (first) => void this.connectMedia(!first);
    this.hub.onSnapshot = (before, after) => {
      // Media refused before the start (should the server want a live session) is tried again once it is live.
      if (before && before.status !== "live" && after.status === "live" && this.mediaError) void this.connectMedia(false);
      const text = announce(before, after);
      if (text) this.announcements = [...this.announcements.slice(-4), { id: this.nextId++, text }];
    };
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  changed(): void {
    this.listeners.forEach((l) => l());
  }

  get snapshot(): LiveSnapshot | null {
    return this.hub.snapshot;
  }

  get publishes(): boolean {
    return this.hub.myRole === "host" || this.hub.myRole === "participant";
  }

  start(): Promise<void> {
    return this.hub.start();
  }

  private openLocal(): Promise<void> {
    if (!this.publishes) return Promise.resolve();
    this.localOpened ??= (async () => {
      this.local = await openLocalMedia();
      await this.media.setCamera(this.local.camera);
      await this.media.setMicrophone(this.local.microphone);
      this.changed();
    })();
    return this.localOpened;
  }

  private async connectMedia(iceRestart: boolean): Promise<void> {
    // An ended session has nobody left to see or hear: no camera, no peer connection.
    if (this.hub.snapshot?.status === "ended") return;
    try {
      await this.openLocal();
      await this.media.negotiate(iceRestart);
      this.mediaError = null;
    } catch (e) {
      this.mediaError = toHubError(e).localized;
    }
    this.changed();
  }

  async stop(): Promise<void> {
    this.media.close();
    await this.localOpened?.catch(() => {});
    this.local.camera?.stop();
    this.local.microphone?.stop();
    await this.hub.stop();
  }
}

/** The sentence a change deserves in the aria-live log (turns and segments), or null. */
function announce(before: LiveSnapshot | null, after: LiveSnapshot): string | null {
  if (!before) return null;
  if (before.status !== "live" && after.status === "live") return t("research.event.started");
  if (before.status !== "ended" && after.status === "ended") return t("research.event.ended");
  const b = before.currentSegment;
  const a = after.currentSegment;
  if (a && (!b || a.index !== b.index)) return t("research.event.segment", { title: a.title || segmentKindLabel(a.kind), n: a.index + 1, count: after.segmentCount });
  if (after.speaker && after.speaker.personId !== before.speaker?.personId) return t("research.event.speaking", { name: after.speaker.displayName });
  if (!after.speaker && before.speaker) return t("research.event.turnEnded", { name: before.speaker.displayName });
  return null;
}

/** Creates, starts and disposes a ResearchLive for the component's lifetime; re-renders on every change. */
export function useResearchLive(sessionId: string, token: () => string | null): { live: ResearchLive | null; fatal: HubError | null } {
  const [live, setLive] = useState<ResearchLive | null>(null);
  const [fatal, setFatal] = useState<HubError | null>(null);
  const [, bump] = useState(0);
  useEffect(() => {
    const rl = new ResearchLive(sessionId, token);
    setLive(rl);
    setFatal(null);
    const off = rl.subscribe(() => bump((n) => n + 1));
    rl.start().catch((e) => setFatal(toHubError(e)));
    // Exposed for diagnosis and for the end-to-end tests (frames decoded per slot).
    (window as unknown as { lcResearch?: ResearchLive }).lcResearch = rl;
    return () => {
      off();
      void rl.stop();
    };
  }, [sessionId]);
  return { live, fatal };
}
