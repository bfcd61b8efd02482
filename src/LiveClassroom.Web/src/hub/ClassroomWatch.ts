import { HubConnection } from "@microsoft/signalr";
import { buildHubConnection } from "./connect";

/**
 * A waiting classroom device's line to the classroom hub (docs/HUB.md, "Waiting devices"): the server pushes
 * ClassOpened for the device's classroom, so the projector walks into a class the moment it opens. `onChance` runs
 * on every push and after every (re)connect — whatever was missed while the line was down is found by polling then.
 * State machine: connecting → watching ⇄ reconnecting, until stop().
 */
export class ClassroomWatch {
  private readonly conn: HubConnection;
  private stopped = false;
  private timer: number | undefined;

  constructor(
    token: () => string | null,
    private readonly onChance: (classId: string | null) => void,
  ) {
    this.conn = buildHubConnection("/hubs/classroom", token);
    this.conn.on("ClassOpened", (notice: { classId: string }) => this.onChance(notice.classId));
    this.conn.onreconnected(() => void this.watch());
    // Automatic reconnect gives up only on a closed connection it did not restart: start over.
    this.conn.onclose(() => this.retry());
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    void this.conn.stop().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.conn.start();
    } catch {
      this.retry();
      return;
    }
    await this.watch();
  }

  private async watch(): Promise<void> {
    try {
      await this.conn.invoke<string>("WatchClassroom");
      this.onChance(null);
    } catch {
      // A refused watch (revoked device) is left to the timetable poll, which signs the device out on 401.
    }
  }

  private retry(): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.connect(), 5000);
  }
}
