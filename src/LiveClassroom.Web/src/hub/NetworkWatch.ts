import { HubConnection } from "@microsoft/signalr";
import { buildHubConnection, startWithin } from "./connect";

/** A classroom's network figures as the server pushes them (docs/OPERATIONS.md, "Network dashboard"); null = not measured. */
export interface ClassroomNetwork {
  classroomId: string;
  name: string;
  isLead: boolean;
  connection: "Connected" | "Reconnecting" | "Left" | "Absent";
  stageSeat: number | null;
  quality: "good" | "fair" | "poor" | "unknown";
  degraded: boolean;
  source: "sfu" | "browser" | "none";
  mediaState: string | null;
  roundTripTimeMs: number | null;
  downLoss: number | null;
  upLoss: number | null;
  jitterMs: number | null;
  downBitrateBps: number | null;
  upBitrateBps: number | null;
  estimatedBitrateBps: number | null;
  layer: string | null;
  videoPaused: boolean;
  frameWidth: number | null;
  frameHeight: number | null;
  framesPerSecond: number | null;
  reconnects: number;
}

/** One push of a class's figures; seq rises by one per frame of the class. */
export interface NetworkFrame {
  classId: string;
  seq: number;
  at: string;
  state: string;
  recording: boolean | null;
  classrooms: ClassroomNetwork[];
}

/**
 * The admin's line to the classroom hub for the network dashboard: WatchLiveClasses once (LiveClassesChanged when a
 * class in the admin's scope opens or ends, on any node), WatchNetwork per class (NetworkFigures pushed about every
 * second). After a reconnect everything is watched again (the server forgot the closed connection) and the list is
 * reloaded, since changes may have been missed meanwhile.
 * State machine: idle → connected ⇄ reconnecting, until stop().
 */
export class NetworkWatch {
  private conn: HubConnection | null = null;
  private readonly watched = new Set<string>();
  private stopped = false;

  constructor(
    private readonly token: () => string | null,
    private readonly onFrame: (frame: NetworkFrame) => void,
    private readonly onError: (error: unknown) => void,
    private readonly onLiveClassesChanged: () => void = () => {},
  ) {}

  async start(): Promise<void> {
    const conn = buildHubConnection("/hubs/classroom", this.token);
    conn.on("NetworkFigures", (frame: NetworkFrame) => this.onFrame(frame));
    conn.on("LiveClassesChanged", () => this.onLiveClassesChanged());
    conn.onreconnected(() => {
      void this.watchLiveClasses().then(() => this.onLiveClassesChanged());
      for (const id of this.watched) void this.invokeWatch(id);
    });
    this.conn = conn;
    await startWithin(conn);
    if (this.stopped) {
      await conn.stop();
      return;
    }
    await this.watchLiveClasses();
  }

  private async watchLiveClasses(): Promise<void> {
    try {
      await this.conn?.invoke<number>("WatchLiveClasses");
    } catch (e) {
      this.onError(e);
    }
  }

  /** Starts (or keeps) watching a class; its current figures arrive through onFrame at once. */
  async watch(classId: string): Promise<void> {
    if (this.watched.has(classId)) return;
    this.watched.add(classId);
    await this.invokeWatch(classId);
  }

  async unwatch(classId: string): Promise<void> {
    if (!this.watched.delete(classId)) return;
    try {
      await this.conn?.invoke("UnwatchNetwork", classId);
    } catch {
      // The class ended or the connection is down: nothing to stop.
    }
  }

  stop(): void {
    this.stopped = true;
    this.watched.clear();
    void this.conn?.stop().catch(() => {});
  }

  private async invokeWatch(classId: string): Promise<void> {
    try {
      const frame = await this.conn?.invoke<NetworkFrame>("WatchNetwork", classId);
      if (frame) this.onFrame(frame);
    } catch (e) {
      this.watched.delete(classId);
      this.onError(e);
    }
  }
}
