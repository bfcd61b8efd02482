import { HubConnection } from "@microsoft/signalr";
import { buildHubConnection, retryForever, retryThenMove, startWithin } from "./connect";
import { NodeRotation, clusterNodes } from "./nodes";

/**
 * A waiting classroom device's line to the classroom hub (docs/HUB.md, "Waiting devices"): the server pushes
 * ClassOpened for the device's classroom, so the projector walks into a class the moment it opens. `onChance` runs
 * on every push and after every (re)connect — whatever was missed while the line was down is found by polling then.
 * A node that cannot be reached is left for the next node of the cluster (hub/nodes.ts).
 * State machine: connecting → watching ⇄ reconnecting, until stop().
 */
export class ClassroomWatch {
  private conn: HubConnection | null = null;
  private stopped = false;
  private timer: number | undefined;
  private baseUrl = "";
  private readonly nodes = new NodeRotation();

  constructor(
    private readonly token: () => string | null,
    private readonly onChance: (classId: string | null) => void,
  ) {}

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    void this.conn?.stop().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.nodes.setNodes(await clusterNodes(this.token));
    if (this.stopped) return;
    const conn = buildHubConnection(`${this.baseUrl}/hubs/classroom`, this.token, this.nodes.count > 1 ? retryThenMove : retryForever, this.nodes.count > 1);
    conn.on("ClassOpened", (notice: { classId: string }) => this.onChance(notice.classId));
    conn.onreconnected(() => void this.watch());
    // Automatic reconnect gives up only on a closed connection it did not restart: start over, on the next node.
    conn.onclose(() => {
      if (this.conn === conn) this.retry();
    });
    this.conn = conn;
    try {
      await startWithin(conn);
    } catch {
      if (this.conn === conn) this.retry();
      return;
    }
    await this.watch();
  }

  private async watch(): Promise<void> {
    try {
      await this.conn?.invoke<string>("WatchClassroom");
      this.onChance(null);
    } catch {
      // A refused watch (revoked device) is left to the timetable poll, which signs the device out on 401.
    }
  }

  private retry(): void {
    if (this.stopped) return;
    this.conn = null;
    this.baseUrl = this.nodes.after(this.baseUrl);
    clearTimeout(this.timer);
    // Straight to another node when there is one; the same (only) node is retried after 5 s.
    this.timer = window.setTimeout(() => void this.connect(), this.nodes.count > 1 ? 500 : 5000);
  }
}
