import type { ClassSnapshot, Participant, ParticipantStats } from "../hub/types";

export type Quality = "good" | "fair" | "poor" | "unknown";

export interface ClassroomView {
  classroomId: string;
  name: string;
  present: boolean;
  connection: "Connected" | "Reconnecting" | "Left" | "Absent";
  quality: Quality;
  stats: ParticipantStats | null;
  handPosition: number | null;
  stageSeat: number | null;
  muted: boolean;
  minutesPresent: number | null;
  reconnects: number | null;
  firstJoinedAt: string | null;
}

/** The participant speaking for a classroom: a connected device first, then a connected assistant, then anyone. */
export function classroomParticipant(s: ClassSnapshot, classroomId: string): Participant | undefined {
  const ps = s.participants.filter((p) => p.classroomId === classroomId && p.role === "Classroom");
  return (
    ps.find((p) => p.connection === "Connected" && p.kind === "Device") ??
    ps.find((p) => p.connection === "Connected") ??
    ps.find((p) => p.connection === "Reconnecting") ??
    ps[0]
  );
}

function quality(p: Participant | undefined): Quality {
  if (!p || p.connection === "Left") return "unknown";
  if (p.connection === "Reconnecting") return "poor";
  const q = p.stats?.quality?.toLowerCase();
  return q === "good" || q === "fair" || q === "poor" ? q : "unknown";
}

/** The rural classrooms of the class in tile order, with live presence derived from the participants. */
export function classroomsOf(s: ClassSnapshot): ClassroomView[] {
  return s.classrooms
    .filter((c) => !c.isLead)
    .sort((a, b) => a.tile - b.tile)
    .map((c) => {
      const p = classroomParticipant(s, c.classroomId);
      const connection = p ? p.connection : "Absent";
      const pos = s.handQueue.indexOf(c.classroomId);
      return {
        classroomId: c.classroomId,
        name: c.name,
        present: connection === "Connected",
        connection,
        quality: quality(p),
        stats: p?.stats ?? null,
        handPosition: pos >= 0 ? pos + 1 : null,
        stageSeat: s.stage.find((seat) => seat.classroomId === c.classroomId)?.seat ?? null,
        muted: c.mutedByLead,
        minutesPresent: c.attendance ? c.attendance.minutesPresent : null,
        reconnects: c.attendance ? c.attendance.reconnectCount : null,
        firstJoinedAt: c.attendance?.firstJoinedAt ?? null,
      };
    });
}

export function classroomName(s: ClassSnapshot, classroomId: string | null | undefined): string {
  if (!classroomId) return "";
  return s.classrooms.find((c) => c.classroomId === classroomId)?.name ?? classroomId;
}
