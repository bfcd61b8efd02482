import { useEffect, useState } from "preact/hooks";
import { ApiClient } from "../api/client";
import { localizedMediaError } from "../hub/errors";
import type { MediaDescription } from "../hub/types";
import { IceServerSource } from "../media/iceServers";
import { MediaSession, type NegotiatedAnswer, type SlotSpec } from "../media/MediaSession";
import { openLocalMedia, type LocalMedia } from "../media/devices";

/** What a live room needs of its hub connection (ClassConnection, ResearchConnection). */
export interface LiveHub {
  subscribe(l: () => void): () => void;
  invoke<T>(method: string, ...args: unknown[]): Promise<T>;
  /** Called when another connection of the same account took this room's media over (MediaTakenOver). */
  onMediaTakenOver: () => void;
  /** The media layer started a fresh peer connection: what the SFU said of the old one's downlink is dropped. */
  forgetMediaQuality(): void;
  /** Connected and joined to the room, no join awaiting its answer: offers can be carried (RoomConnection.inRoom). */
  readonly inRoom: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A person in a live room: the hub connection plus the media session that negotiates through it. Publishers
 * open camera and microphone once and keep them until stop(); subclasses decide who publishes and when media
 * connects, and turn room changes into the aria-live announcements.
 */
export abstract class LiveRoom<H extends LiveHub> {
  readonly media: MediaSession;
  local: LocalMedia = { camera: null, microphone: null, cameraError: null, microphoneError: null };
  announcements: { id: number; text: string }[] = [];
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  private localOpened: Promise<void> | null = null;

  protected constructor(
    readonly hub: H,
    slots: SlotSpec[],
    token: () => string | null,
    simulcast = false,
  ) {
    const iceServers = new IceServerSource(new ApiClient(token));
    const negotiator = (offer: string, desc: MediaDescription) => hub.invoke<NegotiatedAnswer>("Negotiate", offer, desc);
    this.media = new MediaSession(negotiator, slots, iceServers, simulcast);
    // Media is offered only through a joined hub; every (re)join renegotiates (LiveClass.onJoined, ResearchLive).
    this.media.canSignal = () => hub.inRoom;
    // Audio-first belongs to the SFU's peer: a fresh peer connection starts with video (RoomConnection.mediaQuality).
    this.media.onNewPeerConnection = () => hub.forgetMediaQuality();
    hub.subscribe(() => this.changed());
    this.media.subscribe(() => this.changed());
    // A second tab (or device) of this account took the media: stop here, and stay stopped until the user takes it back,
    // so two tabs never take it from each other in a loop.
    hub.onMediaTakenOver = () => this.media.suspend();
  }

  /** The latest negotiation refusal in the UI's language (retried with back-off meanwhile when that may help), or null. */
  get mediaError(): string | null {
    return this.media.lastError && this.media.state !== "suspended" ? localizedMediaError(this.media.lastError) : null;
  }

  /** True while another tab or device of this account holds the media (see takeMediaBack). */
  get mediaTakenOver(): boolean {
    return this.media.state === "suspended";
  }

  /** The user chose to continue in this tab: it takes the media back (and the other tab is told in turn). */
  async takeMediaBack(): Promise<void> {
    await this.media.resume().catch(() => {});
    this.changed();
  }

  /** Whether this person sends camera and microphone. */
  abstract get publishes(): boolean;

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  changed(): void {
    this.listeners.forEach((l) => l());
  }

  start(): Promise<void> {
    return this.hub.start();
  }

  /** Keeps the last five announcements for the aria-live log. */
  protected addAnnouncement(text: string | null): void {
    if (text) this.announcements = [...this.announcements.slice(-4), { id: this.nextId++, text }];
  }

  protected openLocal(): Promise<void> {
    if (!this.publishes) return Promise.resolve();
    this.localOpened ??= (async () => {
      this.local = await openLocalMedia();
      await this.media.setCamera(this.local.camera);
      await this.media.setMicrophone(this.local.microphone);
      this.changed();
    })();
    return this.localOpened;
  }

  /**
   * Opens camera and microphone (publishers only) and negotiates; a refusal shows as mediaError. Nothing happens while
   * another tab holds the media: a hub rejoin must not take it back by itself.
   */
  protected async negotiateMedia(iceRestart: boolean): Promise<void> {
    if (this.mediaTakenOver) return;
    try {
      await this.openLocal();
      await this.media.negotiate(iceRestart);
    } catch {
      // Kept in media.lastError (shown as mediaError) and retried with back-off when another attempt may help.
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

/**
 * Creates, starts and disposes a live room for the component's lifetime; re-renders on every change. The room
 * is also put on window[hook] for diagnosis on site and for the end-to-end tests (frames decoded per slot).
 */
export function useLiveRoom<R extends LiveRoom<LiveHub>, F>(
  create: () => R,
  deps: unknown[],
  fatalOf: (e: unknown) => F,
  hook: "lcLive" | "lcResearch",
): { live: R | null; fatal: F | null } {
  const [live, setLive] = useState<R | null>(null);
  const [fatal, setFatal] = useState<F | null>(null);
  const [, bump] = useState(0);
  useEffect(() => {
    const room = create();
    setLive(room);
    setFatal(null);
    const off = room.subscribe(() => bump((n) => n + 1));
    room.start().catch((e) => setFatal(fatalOf(e)));
    (window as unknown as Record<string, unknown>)[hook] = room;
    return () => {
      off();
      void room.stop();
    };
  }, deps);
  return { live, fatal };
}
