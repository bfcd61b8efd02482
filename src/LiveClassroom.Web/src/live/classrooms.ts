import { t } from "../i18n";
import type { ChatMessage, ClassSnapshot, Participant, ParticipantStats } from "../hub/types";

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

/** i18n keys of the link quality levels, as a word (良好) and as a tile's phrase (网络良好). */
export const qualityLevelKey = { good: "quality.level.good", fair: "quality.level.fair", poor: "quality.level.poor", unknown: "quality.level.unknown" } as const;

/** "School · classroom": rural classrooms are often named alike (三年级教室), their schools tell them apart. */
export function placeLabel(school: string | null | undefined, classroom: string | null | undefined): string {
  return [school, classroom].filter(Boolean).join(" · ");
}

/** A participant's link quality as one of the known levels (the reported text is free-form). */
export function quality(p: Participant | undefined): Quality {
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
        name: placeLabel(c.schoolName, c.name),
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

/** The classroom with its school ("青山村小学 · 三年级复式班教室"), wherever a classroom is named. */
export function classroomName(s: ClassSnapshot, classroomId: string | null | undefined): string {
  if (!classroomId) return "";
  const c = s.classrooms.find((x) => x.classroomId === classroomId);
  return c ? placeLabel(c.schoolName, c.name) : classroomId;
}

/**
 * Who wrote a chat message: a projector speaks for its classroom, so it is named by school and classroom (its device
 * name says nothing to the class); a person in a classroom (the assistant teacher) by name and classroom.
 */
export function chatAuthor(s: ClassSnapshot | null, m: ChatMessage): string {
  if (!s || !m.fromClassroomId) return m.fromName;
  const place = classroomName(s, m.fromClassroomId);
  // The message says who wrote it; a projector is not sent other classrooms' presence (docs/HUB.md), so the sender may
  // not be among its participants.
  const kind = m.fromKind ?? s.participants.find((p) => p.principalId === m.fromPrincipalId)?.kind;
  return kind === "Person" ? t("chat.fromPlace", { name: m.fromName, place }) : place;
}
