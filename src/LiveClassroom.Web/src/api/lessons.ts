import type { ApiClient } from "./client";
import type { Lesson } from "./types";

export function localDate(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Lists may come bare or wrapped ({items}/{lessons}); accept both so a contract detail cannot blank a page. */
export function unwrap<T>(body: unknown, ...keys: string[]): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === "object") {
    for (const k of [...keys, "items"]) {
      const v = (body as Record<string, unknown>)[k];
      if (Array.isArray(v)) return v as T[];
    }
  }
  return [];
}

/**
 * GET /api/me/lessons answers MyLesson rows ({pairingId, pairingName, role, classroomId, lesson, classState, ownerUrl})
 * whose lesson is date + start (school time) + durationMinutes (GRAINS.md). The UI works with absolute instants.
 * Null for a row that is no lesson: `lesson: null` (documented for a pairing hosted by another node, docs/API-ROOMS.md)
 * or a date/start that does not parse — one such row must not cost the page its other lessons.
 */
export function normaliseLesson(raw: Record<string, any>): Lesson | null {
  if (!raw || typeof raw !== "object" || ("lesson" in raw && !raw.lesson)) return null;
  const inner: Record<string, any> = raw.lesson ?? raw;
  if (typeof inner.date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(inner.date)) return null;
  const hhmm = typeof inner.start === "string" && /^\d{2}:\d{2}/.test(inner.start) ? inner.start.slice(0, 5) : "00:00";
  const start = new Date(`${inner.date}T${hhmm}:00`);
  const minutes = typeof inner.durationMinutes === "number" && inner.durationMinutes > 0 ? inner.durationMinutes : 40;
  const ends = new Date(start.getTime() + minutes * 60000);
  if (Number.isNaN(start.getTime())) return null;
  return {
    id: inner.lessonId ?? inner.id,
    pairingId: raw.pairingId ?? inner.pairingId,
    pairingName: raw.pairingName,
    subject: inner.subject,
    title: inner.chapter ?? undefined,
    startsAt: start.toISOString(),
    endsAt: ends.toISOString(),
    durationMinutes: inner.durationMinutes,
    classId: inner.classId ?? null,
    status: raw.classState,
    role: raw.role,
    ownerUrl: raw.ownerUrl ?? null,
  };
}

/** Rows that are lessons, normalised; the others dropped (see normaliseLesson). */
export function lessonsOf(rows: Record<string, any>[]): Lesson[] {
  return rows.map(normaliseLesson).filter((l): l is Lesson => l !== null);
}

export async function lessonsOn(client: ApiClient, date: string): Promise<Lesson[]> {
  const path = `/api/me/lessons?date=${encodeURIComponent(date)}`;
  const rows = unwrap<Record<string, any>>(await client.get<unknown>(path), "lessons");
  const lessons = lessonsOf(rows);
  // `lesson: null` + ownerUrl: that node has the pairing's lessons. One hop only, and only that pairing's rows; if the
  // owner cannot be asked, the page shows what it has (the hub redirects a join anyway).
  for (const r of rows.filter((x) => x && !x.lesson && typeof x.ownerUrl === "string" && /^https?:\/\//.test(x.ownerUrl))) {
    try {
      const there = unwrap<Record<string, any>>(await client.get<unknown>(`${r.ownerUrl.replace(/\/$/, "")}${path}`, { otherNode: true }), "lessons");
      lessons.push(...lessonsOf(there.filter((x) => x?.pairingId === r.pairingId)));
    } catch {
      // Owner unreachable or not allowed by CORS: carry on with the rest.
    }
  }
  return lessons.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
}

/** classState: NotOpened, Scheduled (set up, not yet started), Live, Ended, Elsewhere (hosted by another node). */
export function isLive(l: Lesson): boolean {
  return !!l.classId && (l.status === "Live" || l.status === "Elsewhere");
}

export function isEnded(l: Lesson): boolean {
  return l.status === "Ended";
}

/** Opens the lesson as a live class; returns its class id. */
export async function openLesson(client: ApiClient, l: Lesson): Promise<string> {
  const res = await client.post<{ classId: string }>(
    `/api/pairings/${encodeURIComponent(l.pairingId)}/lessons/${encodeURIComponent(l.id)}/open`,
  );
  return res.classId;
}
