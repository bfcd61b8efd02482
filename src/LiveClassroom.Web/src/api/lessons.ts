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
 */
export function normaliseLesson(raw: Record<string, any>): Lesson {
  const inner: Record<string, any> = raw.lesson ?? raw;
  const start = new Date(`${inner.date}T${String(inner.start ?? "00:00").slice(0, 5)}:00`);
  const ends = new Date(start.getTime() + (inner.durationMinutes ?? 40) * 60000);
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

export async function lessonsOn(client: ApiClient, date: string): Promise<Lesson[]> {
  const body = await client.get<unknown>(`/api/me/lessons?date=${encodeURIComponent(date)}`);
  return unwrap<Record<string, any>>(body, "lessons")
    .map(normaliseLesson)
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt));
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
