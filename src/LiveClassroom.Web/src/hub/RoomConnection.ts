import { HubConnection, HubConnectionState } from "@microsoft/signalr";
import { buildHubConnection, retryForever, retryThenMove, startTimeoutMs, startWithin } from "./connect";
import { NodeRotation, clusterNodes } from "./nodes";
import { toHubError } from "./errors";
import { watchForStall } from "./stallWatch";

export type LinkStatus = "connecting" | "connected" | "reconnecting";

/** MediaQuality (docs/HUB.md): what the SFU now sends this page for its downlink; paused = audio-first, video stopped. */
export interface MediaQuality {
  classId: string;
  paused: boolean;
  layer: string | null;
  estimateKbps: number;
}

/** What tells one room hub from another: its path, its method names and the refusals it gives up on. */
export interface RoomHub {
  /** e.g. "/hubs/classroom"; any node of the cluster serves every room. */
  path: string;
  /** The server-to-client method that carries the room's events. */
  event: string;
  /** The server-to-client method that carries several consecutive events as one message, if the hub has one. */
  batchEvent?: string;
  join: string;
  leave: string;
  /** Refusals that retrying cannot fix: they are surfaced to the page instead of looping. */
  fatalCodes: readonly string[];
  /**
   * The join's snapshot carries the sequence number its events continue from: events received while a join awaits its
   * answer are held and applied after it (RoomConnection.heldEvents). A room whose snapshot has none applies them as
   * they come and lets the join's snapshot replace what they did.
   */
  holdEventsWhileJoining?: boolean;
}

/**
 * One SignalR connection joined to one room (a class, a research session). State machine: connecting →
 * connected ⇄ reconnecting (→ connecting again on a closed connection), until stop().
 * A node that cannot be reached (refused, closed, or no answer within startTimeoutMs) is left for the next one of the
 * cluster (hub/nodes.ts); the room is joined again there and the media layer renegotiates through onJoined.
 * Subclasses apply what the join, the events and Resync bring; listeners are told of every change.
 */
export abstract class RoomConnection<TJoin, TResync, TEvent, TAnswer = void> {
  status: LinkStatus = "connecting";
  lastError: unknown = null;
  /** Called after every (re)join: the media layer renegotiates (with an ICE restart after the first). */
  onJoined: (firstJoin: boolean) => void = () => {};
  /** Another connection of the same account negotiated media in this room and now holds it (MediaTakenOver). */
  onMediaTakenOver: () => void = () => {};
  /**
   * The SFU's latest MediaQuality notice for this page's media peer (null until one comes). It describes the peer
   * connection, not the hub connection: kept across a hub rejoin (the SFU's choice did not change, and the server says it
   * again once the rejoined page negotiates), forgotten when the media layer starts a fresh peer connection.
   */
  mediaQuality: MediaQuality | null = null;
  /** How often this page dropped a hub connection found stuck after an outage (stallWatch.ts). */
  stallRestarts = 0;
  private conn: HubConnection | null = null;
  private stopped = false;
  private baseUrl = "";
  private readonly nodes = new NodeRotation();
  private joinedOnce = false;
  private readonly listeners = new Set<() => void>();
  private rejoining = false;
  /** JoinClass calls awaiting their answer: while any is, the media layer holds its offers (see inRoom). */
  private joins = 0;
  /**
   * Events received while a join awaits its answer (null: none awaited). They are applied after the join's snapshot,
   * whose sequence number drops those it already covers: checked against the snapshot the page held before (an old
   * activation's, or one that missed events while the connection was down) they would look like a gap and ask for a
   * Resync of the whole room for nothing.
   */
  private heldEvents: (() => void)[] | null = null;
  private stopStallWatch: () => void = () => {};

  protected constructor(
    private readonly roomId: string,
    private readonly token: () => string | null,
    private readonly roomHub: RoomHub,
  ) {}

  /** Applies a join's answer (snapshot and who the caller is) and tells the listeners. */
  protected abstract joined(view: TJoin): void;
  /** Applies Resync's answer and tells the listeners. */
  protected abstract resynced(answer: TResync): void;
  protected abstract handleEvent(e: TEvent): void;
  /** Applies a batch of consecutive events (roomHub.batchEvent); hubs without batches never call it. */
  protected handleBatch(_batch: unknown): void {}

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  protected changed(): void {
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
        if (this.roomHub.fatalCodes.includes(err.code)) {
          this.changed();
          throw err;
        }
        this.baseUrl = this.nodes.after(this.baseUrl);
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
    this.stopStallWatch();
    await previous?.stop().catch(() => {});
    if (this.stopped) return;
    this.nodes.setNodes(await clusterNodes(this.token));
    const inCluster = this.nodes.count > 1;
    const conn = buildHubConnection(`${this.baseUrl}${this.roomHub.path}`, this.token, inCluster ? retryThenMove : retryForever, inCluster);
    conn.on(this.roomHub.event, (e: TEvent) => this.received(() => this.handleEvent(e)));
    if (this.roomHub.batchEvent) conn.on(this.roomHub.batchEvent, (b: unknown) => this.received(() => this.handleBatch(b)));
    conn.on("MediaTakenOver", (e: { classId: string }) => {
      if (e.classId === this.roomId) this.onMediaTakenOver();
    });
    conn.on("MediaQuality", (e: MediaQuality) => {
      if (e.classId !== this.roomId) return;
      this.mediaQuality = e;
      this.changed();
    });
    // A reconnect to a hung node never finishes (its negotiate is accepted by the kernel and answered by nobody):
    // with other nodes to go to, give it startTimeoutMs, then stop it, and onclose moves on.
    let reconnectGiveUp: number | undefined;
    conn.onreconnecting(() => {
      this.status = "reconnecting";
      this.changed();
      if (inCluster) {
        clearTimeout(reconnectGiveUp);
        reconnectGiveUp = window.setTimeout(() => {
          if (conn.state !== HubConnectionState.Connected) void conn.stop().catch(() => {});
        }, startTimeoutMs);
      }
    });
    conn.onreconnected(() => {
      clearTimeout(reconnectGiveUp);
      void this.join().catch(() => this.restart());
    });
    // Alone, a silent server is waited for (60 s); a connection stuck after an outage while the server answers fresh
    // requests is dropped at once instead. In a cluster, serverTimeoutMs.cluster already moves on after 8 s.
    if (!inCluster) {
      this.stopStallWatch = watchForStall(conn, `${this.baseUrl}/healthz/live`, () => {
        if (this.conn !== conn || this.stopped) return;
        this.stallRestarts++;
        void conn.stop().catch(() => {});
      });
    }
    conn.onclose(() => {
      clearTimeout(reconnectGiveUp);
      if (this.stopped || this.conn !== conn) return;
      // Automatic reconnect gave up on this node: the next one is tried first.
      this.baseUrl = this.nodes.after(this.baseUrl);
      this.status = "reconnecting";
      this.changed();
      this.restart();
    });
    this.conn = conn;
    try {
      await startWithin(conn);
    } catch (e) {
      // A start given up on is stopped: its onclose must not start a second loop beside start()'s own retry.
      if (this.conn === conn) this.conn = null;
      throw e;
    }
    await this.join();
  }

  /** Starts over in the background; a refusal that retrying cannot fix stays in lastError for the page. */
  private restart(): void {
    this.start().catch((e) => {
      this.lastError = e;
      this.changed();
    });
  }

  /** An event or batch as it arrives: applied now, or held until the pending join's snapshot (see heldEvents). */
  private received(apply: () => void): void {
    if (this.heldEvents) this.heldEvents.push(apply);
    else apply();
  }

  private async join(): Promise<void> {
    this.joins++;
    if (this.roomHub.holdEventsWhileJoining) this.heldEvents ??= [];
    let view: TJoin;
    try {
      view = await this.conn!.invoke<TJoin>(this.roomHub.join, this.roomId);
    } catch (e) {
      // The connection starts over and joins again: what it held is in that join's snapshot.
      if (--this.joins === 0) this.heldEvents = null;
      throw e;
    }
    this.status = "connected";
    this.lastError = null;
    const held = --this.joins === 0 ? this.heldEvents : null;
    if (held) this.heldEvents = null;
    this.joined(view);
    held?.forEach((apply) => apply());
    const first = !this.joinedOnce;
    this.joinedOnce = true;
    this.onJoined(first);
  }

  /**
   * Joins again over the same, still connected hub connection: the room says this page is no longer connected (it
   * activated again on another node after its node died, so every media connection of the class was lost), though
   * this page's own node never went away. The media layer renegotiates through onJoined, as after a reconnect.
   */
  protected rejoin(): void {
    if (this.rejoining || !this.connected) return;
    this.rejoining = true;
    this.join()
      .catch(() => this.restart())
      .finally(() => {
        this.rejoining = false;
      });
  }

  /** The media layer started a fresh peer connection: the SFU's word on the old one no longer holds (see mediaQuality). */
  forgetMediaQuality(): void {
    if (this.mediaQuality === null) return;
    this.mediaQuality = null;
    this.changed();
  }

  async resync(): Promise<void> {
    try {
      this.resynced(await this.conn!.invoke<TResync>("Resync", this.roomId));
    } catch {
      // The reconnect path re-joins and brings a fresh snapshot anyway.
    }
  }

  /** Invokes a hub method for this room; rejects with a HubError carrying the server's reason. */
  async invoke<T = TAnswer>(method: string, ...args: unknown[]): Promise<T> {
    if (!this.conn || this.conn.state !== HubConnectionState.Connected) throw toHubError(new Error("not connected"));
    try {
      return await this.conn.invoke<T>(method, this.roomId, ...args);
    } catch (e) {
      throw toHubError(e);
    }
  }

  get connected(): boolean {
    return this.conn?.state === HubConnectionState.Connected && this.status === "connected";
  }

  /**
   * Connected and joined, no join awaiting its answer: the room takes this page's offers. While the connection is
   * down, reconnecting, or joining again (the room may have started over on another node), an offer would be refused
   * or lost; the media layer holds it and renegotiates once through onJoined (MediaSession.negotiate).
   */
  get inRoom(): boolean {
    return this.connected && this.joins === 0;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopStallWatch();
    await this.conn?.invoke(this.roomHub.leave, this.roomId).catch(() => {});
    await this.conn?.stop().catch(() => {});
  }
}
