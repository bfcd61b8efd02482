// DTOs and calls of docs/API-RESEARCH.md (teaching research, 网络教研) and the live shapes of docs/HUB-RESEARCH.md.
import { api } from "./session";
import { unwrap } from "./lessons";
import { getLessons, getRecordingMedia } from "./researchDocs";

export type SessionKind = "lesson_talk" | "lesson_review" | "same_lesson" | "co_prepare" | "mixed";
export type Stage = "primary" | "junior" | "senior";
export type SegmentKind = "lesson_talk" | "observe" | "review" | "summary" | "co_prepare" | "free";
export type LiveRole = "host" | "participant" | "observer";

export const sessionKinds: SessionKind[] = ["lesson_talk", "lesson_review", "same_lesson", "co_prepare", "mixed"];
export const stages: Stage[] = ["primary", "junior", "senior"];
export const segmentKinds: SegmentKind[] = ["lesson_talk", "observe", "review", "summary", "co_prepare", "free"];

export interface RubricCriterion {
  key: string;
  name: string;
  description?: string;
  weight: number;
}

export interface Rubric {
  name: string;
  scaleMin: number;
  scaleMax: number;
  criteria: RubricCriterion[];
}

export interface RubricTemplate {
  id: string;
  name: string;
  description?: string;
  rubric: Rubric;
}

export interface Segment {
  position: number;
  kind: SegmentKind;
  title: string;
  plannedMinutes: number;
  startedAt?: string | null;
  endedAt?: string | null;
}

export interface Invitation {
  personId?: string | null;
  schoolId?: string | null;
  role: "participant" | "observer";
}

export interface ResearchSession {
  id: string;
  organisationId: string;
  title: string;
  kind: SessionKind;
  subject: string;
  stage: Stage;
  grade?: string | null;
  chapter?: string | null;
  scheduledStart: string;
  hostId: string;
  status: "scheduled" | "live" | "ended" | "cancelled" | string;
  speakerTurnSeconds: number;
  rubric: Rubric;
  segments: Segment[];
  invitations: Invitation[];
  myRole: LiveRole;
  canOrganise: boolean;
}

export interface ResearchLesson {
  id: string;
  sessionId: string;
  title: string;
  chapter: string;
  teacherName: string;
  teacherId?: string | null;
  recordingId?: string | null;
  liveClassId?: string | null;
}

export interface SegmentInput {
  kind: SegmentKind;
  title?: string;
  plannedMinutes: number;
}

export interface ScheduleRequest {
  title: string;
  kind: SessionKind;
  subject: string;
  stage: Stage;
  grade?: string;
  chapter?: string;
  scheduledStart: string;
  speakerTurnSeconds?: number;
  rubricTemplateId?: string;
  segments: SegmentInput[];
  invitations: { personId?: string; schoolId?: string; role: "participant" | "observer" }[];
}

export interface ScoreSheet {
  lessonId: string;
  observerId: string;
  scores: Record<string, number>;
  updatedAt: string | null;
}

export interface LessonComment {
  id: string;
  lessonId: string;
  authorId: string;
  authorName: string;
  offsetSeconds: number;
  criterionKey?: string | null;
  body: string;
  createdAt: string;
}

export interface RecordingMedia {
  recordingId: string;
  /** Ticketed: a plain `<video src>` plays and seeks it without a bearer token. */
  mp4Url: string;
  posterUrl?: string | null;
  durationSeconds?: number | null;
}

// ---- live (HUB-RESEARCH.md) ----

export interface SegmentView {
  index: number;
  kind: SegmentKind;
  title: string;
  plannedSeconds: number;
  startedAt: string;
  elapsedSeconds: number;
  remainingSeconds: number;
  overrun: boolean;
}

export interface SpeakerView {
  personId: string;
  displayName: string;
  startedAt: string;
  endsAt: string;
  remainingSeconds: number;
}

export interface LiveParticipant {
  personId: string;
  displayName: string;
  role: LiveRole;
  joinedAt: string;
  connected: boolean;
}

export interface PlaybackState {
  recordingId: string;
  playing: boolean;
  positionSeconds: number;
  atServerTime: string;
}

export interface LiveSnapshot {
  status: "scheduled" | "live" | "ended" | string;
  serverTime: string;
  currentSegment: SegmentView | null;
  segmentCount: number;
  speaker: SpeakerView | null;
  speakerQueue: string[];
  participants: LiveParticipant[];
  observerCount: number;
  playback: PlaybackState | null;
  speakerTurnSeconds: number;
  tiles?: string[];
  /** Moves on when the session's node died with every connection: a page that joined under an older one joins again. */
  mediaEpoch?: number;
}

export interface JoinView {
  sessionId: string;
  personId: string;
  myRole: LiveRole;
  canOrganise: boolean;
  snapshot: LiveSnapshot;
}

export interface ResearchEvent {
  sessionId: string;
  seq: number;
  type: string;
  at: string;
  payload: LiveSnapshot;
}

// ---- calls ----

const base = "/api/research";
const enc = encodeURIComponent;

export const research = {
  async sessions(from: Date, to: Date): Promise<ResearchSession[]> {
    const body = await api.get<unknown>(`${base}/sessions?from=${enc(from.toISOString())}&to=${enc(to.toISOString())}`);
    return unwrap<ResearchSession>(body, "sessions");
  },
  session: (id: string) => api.get<ResearchSession>(`${base}/sessions/${enc(id)}`),
  schedule: (req: ScheduleRequest) => api.post<ResearchSession>(`${base}/sessions`, req),
  async templates(): Promise<RubricTemplate[]> {
    return unwrap<RubricTemplate>(await api.get<unknown>(`${base}/rubric-templates`), "templates");
  },
  lessons: (id: string) => getLessons(api, id),
  addLesson: (id: string, l: { title: string; teacherName?: string; recordingId?: string; liveClassId?: string }) =>
    api.post<ResearchLesson>(`${base}/sessions/${enc(id)}/lessons`, l),
  myScores: (id: string, lessonId: string) => api.get<ScoreSheet>(`${base}/sessions/${enc(id)}/lessons/${enc(lessonId)}/scores/me`),
  saveScores: (id: string, lessonId: string, scores: Record<string, number>) =>
    api.put<ScoreSheet>(`${base}/sessions/${enc(id)}/lessons/${enc(lessonId)}/scores/me`, { scores }),
  async comments(id: string, lessonId: string): Promise<LessonComment[]> {
    const list = unwrap<LessonComment>(await api.get<unknown>(`${base}/sessions/${enc(id)}/lessons/${enc(lessonId)}/comments`), "comments");
    return list.sort((a, b) => a.offsetSeconds - b.offsetSeconds || a.createdAt.localeCompare(b.createdAt));
  },
  /** `actionKey`: the same on a retry of this comment, so it is stored once (Idempotency-Key). */
  addComment: (id: string, lessonId: string, c: { offsetSeconds: number; body: string; criterionKey?: string }, actionKey?: string) =>
    api.post<LessonComment>(`${base}/sessions/${enc(id)}/lessons/${enc(lessonId)}/comments`, c, { actionKey }),
  recordingMedia: (id: string, recordingId: string) => getRecordingMedia(api, id, recordingId),
};

/** Seconds as mm:ss (minutes unbounded, so "90:00" stays mm:ss), negative with a leading "-" (an overrun). */
export function clock(seconds: number): string {
  const whole = Math.trunc(seconds);
  const neg = whole < 0;
  const s = Math.abs(whole);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${neg ? "-" : ""}${p(Math.floor(s / 60))}:${p(s % 60)}`;
}

/** "75", "1:15" or "01:02:03" → seconds; null when it is neither. */
export function parseOffset(text: string): number | null {
  const v = text.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const m = /^(?:(\d+):)?(\d{1,3}):(\d{1,2})$/.exec(v);
  if (!m) return null;
  const sec = Number(m[3]);
  if (sec >= 60) return null;
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + sec;
}
