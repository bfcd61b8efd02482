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
 * The pairing grain describes a lesson as date + start + durationMinutes with id lessonId (GRAINS.md);
 * the UI works with absolute start/end instants and id. Accept either form.
 */
export function normaliseLesson(raw: Record<string, any>): Lesson {
  const id = raw.id ?? raw.lessonId;
  let startsAt: string = raw.startsAt;
  let endsAt: string = raw.endsAt;
  if (!startsAt && raw.date && raw.start) {
    // Lesson times are local school time; the browser runs in the school's time zone.
    const start = new Date(`${raw.date}T${String(raw.start).slice(0, 5)}:00`);
    startsAt = start.toISOString();
    endsAt = new Date(start.getTime() + (raw.durationMinutes ?? 40) * 60000).toISOString();
  }
  return { ...raw, id, startsAt, endsAt: endsAt ?? startsAt, pairingId: raw.pairingId, classId: raw.classId ?? null } as Lesson;
}

export async function lessonsOn(client: ApiClient, date: string): Promise<Lesson[]> {
  const body = await client.get<unknown>(`/api/me/lessons?date=${encodeURIComponent(date)}`);
  return unwrap<Record<string, any>>(body, "lessons")
    .map(normaliseLesson)
    .sort((a, b) => (a.startsAt ?? "").localeCompare(b.startsAt ?? ""));
}

export function isLive(l: Lesson): boolean {
  const status = (l.status ?? l.liveStatus ?? "").toLowerCase();
  return !!l.classId && (l.live === true || status === "live" || status === "open");
}

export function isEnded(l: Lesson): boolean {
  const status = (l.status ?? l.liveStatus ?? "").toLowerCase();
  return status === "ended" || status === "finished" || status === "closed";
}

/** Opens the lesson as a live class; returns its class id. */
export async function openLesson(client: ApiClient, l: Lesson): Promise<string> {
  const res = await client.post<{ classId?: string; id?: string } | string>(
    `/api/pairings/${encodeURIComponent(l.pairingId)}/lessons/${encodeURIComponent(l.id)}/open`,
  );
  if (typeof res === "string") return res;
  return res.classId ?? res.id ?? "";
}
