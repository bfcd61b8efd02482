import type { ClassSnapshot, ConnectionStats, Participant } from "../hub/types";

export interface ClassroomView {
  classroomId: string;
  name: string;
  present: boolean;
  connection: "connected" | "lost" | "left" | "absent";
  quality: "good" | "fair" | "poor" | "unknown";
  stats: ConnectionStats | null;
  handPosition: number | null;
  onStage: boolean;
  muted: boolean;
  joinedAt: string | null;
  minutesPresent?: number;
  reconnects?: number;
}

/** Each rural classroom of the class once, from attendance (expected classrooms) and the live participants. */
export function classroomsOf(s: ClassSnapshot, reconnects?: Map<string, number>): ClassroomView[] {
  const byId = new Map<string, ClassroomView>();
  const people = s.participants.filter((p) => p.role === "classroom" && p.classroomId);
  const best = (id: string): Participant | undefined => {
    const ps = people.filter((p) => p.classroomId === id);
    // A device and an assistant may both be in; the connected one (preferably the device) speaks for the room.
    return ps.find((p) => p.connection === "connected" && p.kind === "device") ?? ps.find((p) => p.connection === "connected") ?? ps[0];
  };
  const view = (id: string, name: string, joinedAt: string | null, extra?: Partial<ClassroomView>): ClassroomView => {
    const p = best(id);
    const connection = p ? p.connection : "absent";
    const stats = p?.stats ?? null;
    const quality = connection === "lost" ? "poor" : connection === "connected" ? (stats?.quality ?? "unknown") : "unknown";
    const pos = s.handQueue.indexOf(id);
    return {
      classroomId: id,
      name,
      present: connection === "connected",
      connection,
      quality,
      stats,
      handPosition: pos >= 0 ? pos + 1 : null,
      onStage: s.stage === id,
      muted: s.muted.includes(id),
      joinedAt,
      reconnects: reconnects?.get(id) ?? 0,
      ...extra,
    };
  };
  for (const row of s.attendance?.classrooms ?? []) {
    byId.set(row.classroomId, view(row.classroomId, row.name, row.joinedAt, { minutesPresent: row.minutesPresent, ...(row.reconnects !== undefined ? { reconnects: row.reconnects } : {}) }));
  }
  for (const p of people) {
    if (!byId.has(p.classroomId!)) byId.set(p.classroomId!, view(p.classroomId!, p.displayName, null));
  }
  return [...byId.values()];
}
