// Research documents (docs/API-RESEARCH.md "Scoring, comments, reports", "集体备课 lesson plans" and
// docs/HUB-RESEARCH.md "Recording playback for a session"): observation reports, 同课异构 comparison,
// session-scoped recording media and lesson plans.
import { ApiError, type ApiClient } from "./client";
import { unwrap } from "./lessons";
import type { LessonComment, RecordingMedia, ResearchLesson, Stage } from "./research";

export type { LessonComment, RecordingMedia, ResearchLesson, Stage };

const base = "/api/research";
const enc = encodeURIComponent;

export interface CriterionStats {
  key: string;
  name: string;
  weight: number;
  count: number;
  mean: number | null;
  min: number | null;
  max: number | null;
  stdDev: number | null;
}

export interface LessonScores {
  criteria: CriterionStats[];
  weightedTotal: number | null;
  complete: boolean;
  sheetCount: number;
}

export interface ReportComment {
  id: string;
  authorName: string;
  offsetSeconds: number;
  timecode: string;
  criterionKey?: string | null;
  body: string;
  createdAt: string;
  /** An in-app route (`/research/{sessionId}/lessons/{lessonId}/watch?t=N`); null while the lesson has no recording. */
  link: string | null;
}

export interface LessonReport {
  sessionId: string;
  sessionTitle: string;
  subject: string;
  stage: Stage | string;
  sessionStatus: string;
  lesson: ResearchLesson;
  /** The library resource of the lesson's recording, when it is published. */
  resourceId?: string | null;
  rubricName: string;
  scaleMin: number;
  scaleMax: number;
  scores: LessonScores;
  comments: ReportComment[];
  generatedAt: string;
}

export interface Comparison {
  sessionId: string;
  chapter: string;
  lessons: LessonReport[];
}

export interface LessonPlan {
  id: string;
  organisationId: string;
  subject: string;
  stage: Stage | string;
  grade: string;
  chapter: string;
  mainPreparerId: string;
  prepareAt: string | null;
  place: string;
  sessionId: string | null;
  recordingId: string | null;
  createdBy: string;
  createdAt: string;
  memberIds: string[];
}

export interface PlanVersion {
  version: number;
  /** Null in version lists. */
  body?: string | null;
  summary: string;
  authorId: string;
  authorName: string;
  createdAt: string;
}

export interface PlanView {
  plan: LessonPlan;
  versions: PlanVersion[];
  latest: PlanVersion | null;
}

export interface DiffLine {
  op: "equal" | "insert" | "delete";
  oldLine: number | null;
  newLine: number | null;
  text: string;
}

export interface PlanDiff {
  from: number;
  to: number;
  fromAuthor: string;
  toAuthor: string;
  toCreatedAt: string;
  inserted: number;
  deleted: number;
  lines: DiffLine[];
}

export interface PlanComment {
  id: string;
  version: number;
  paragraph: number | null;
  authorId: string;
  authorName: string;
  body: string;
  createdAt: string;
}

export interface CreatePlanRequest {
  organisationId?: string;
  subject: string;
  stage: Stage;
  grade?: string;
  chapter: string;
  mainPreparerId?: string;
  prepareAt?: string;
  place?: string;
  sessionId?: string;
  memberIds?: string[];
  body?: string;
}

const session = (id: string) => `${base}/sessions/${enc(id)}`;
const plan = (id: string) => `${base}/lesson-plans/${enc(id)}`;

export function getReport(client: ApiClient, sessionId: string, lessonId: string): Promise<LessonReport> {
  return client.get(`${session(sessionId)}/reports/${enc(lessonId)}`);
}

/** The printable page's address; it needs the bearer token, so it is fetched, never linked to directly. */
export function reportHtmlPath(sessionId: string, lessonId: string): string {
  return `${session(sessionId)}/reports/${enc(lessonId)}.html`;
}

/** The printable report as HTML text, fetched with the person's token. */
export async function getReportHtml(token: string | null, sessionId: string, lessonId: string): Promise<string> {
  let res: Response;
  try {
    res = await fetch(reportHtmlPath(sessionId, lessonId), {
      headers: { Accept: "text/html", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    });
  } catch {
    throw new ApiError(0, {});
  }
  const text = await res.text();
  if (!res.ok) {
    let body = {};
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: the status alone explains it */
    }
    throw new ApiError(res.status, body);
  }
  return text;
}

export function getComparison(client: ApiClient, sessionId: string, chapter?: string | null): Promise<Comparison> {
  const q = chapter ? `?chapter=${enc(chapter)}` : "";
  return client.get(`${session(sessionId)}/comparison${q}`);
}

export async function getLessons(client: ApiClient, sessionId: string): Promise<ResearchLesson[]> {
  return unwrap<ResearchLesson>(await client.get<unknown>(`${session(sessionId)}/lessons`), "lessons");
}

export async function getLessonComments(client: ApiClient, sessionId: string, lessonId: string): Promise<LessonComment[]> {
  const list = unwrap<LessonComment>(await client.get<unknown>(`${session(sessionId)}/lessons/${enc(lessonId)}/comments`), "comments");
  return list.sort((a, b) => a.offsetSeconds - b.offsetSeconds);
}

export function getRecordingMedia(client: ApiClient, sessionId: string, recordingId: string): Promise<RecordingMedia> {
  return client.get(`${session(sessionId)}/recordings/${enc(recordingId)}/media`);
}

export function createPlan(client: ApiClient, req: CreatePlanRequest): Promise<PlanView> {
  return client.post(`${base}/lesson-plans`, req);
}

export function getPlan(client: ApiClient, planId: string): Promise<PlanView> {
  return client.get(plan(planId));
}

export function getPlanVersion(client: ApiClient, planId: string, version: number): Promise<PlanVersion> {
  return client.get(`${plan(planId)}/versions/${version}`);
}

/** Saves the full text as a new version; `409 version_conflict` when someone saved after baseVersion (nothing stored). */
export function savePlanVersion(client: ApiClient, planId: string, body: string, baseVersion: number, summary?: string): Promise<PlanVersion> {
  return client.post(`${plan(planId)}/versions`, { body, baseVersion, summary: summary || undefined });
}

export function getPlanDiff(client: ApiClient, planId: string, from: number, to: number): Promise<PlanDiff> {
  return client.get(`${plan(planId)}/diff?from=${from}&to=${to}`);
}

export async function getPlanComments(client: ApiClient, planId: string): Promise<PlanComment[]> {
  return unwrap<PlanComment>(await client.get<unknown>(`${plan(planId)}/comments`), "comments");
}

/** `actionKey`: the same on a retry of this comment, so it is stored once (Idempotency-Key). */
export function addPlanComment(
  client: ApiClient,
  planId: string,
  version: number,
  paragraph: number | null,
  body: string,
  actionKey?: string,
): Promise<PlanComment> {
  return client.post(`${plan(planId)}/comments`, { version, paragraph, body }, { actionKey });
}

export function setPlanLinks(client: ApiClient, planId: string, links: { sessionId?: string | null; recordingId?: string | null }): Promise<PlanView> {
  return client.put(`${plan(planId)}/links`, links);
}

/** Paragraphs as the server counts them: split on blank lines, trimmed, empty ones dropped. */
export function paragraphs(body: string): string[] {
  return body
    .replace(/\r\n?/g, "\n")
    .split("\n\n")
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

/** Up to 2 decimals, trailing zeros dropped (3.5 → "3.5", 4 → "4", 3.667 → "3.67"); "—" for nothing. */
export function formatFigure(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n)) return "—";
  return String(Math.round(n * 100) / 100);
}

/** Seconds as the server writes a timecode: mm:ss, or h:mm:ss from an hour on. */
export function formatOffset(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return `${h > 0 ? `${h}:` : ""}${String(m).padStart(2, "0")}:${ss}`;
}

/** A session as the lesson-plan forms need it (the full shape belongs to the research list's API module). */
export interface SessionSummary {
  id: string;
  title: string;
  subject: string;
  chapter: string;
  scheduledStart: string;
  status: string;
}

/** Sessions the caller belongs to, newest first, to pick where a plan was discussed. */
export async function getMySessions(client: ApiClient): Promise<SessionSummary[]> {
  const list = unwrap<SessionSummary>(await client.get<unknown>(`${base}/sessions`), "sessions");
  return list.sort((a, b) => b.scheduledStart.localeCompare(a.scheduledStart));
}
