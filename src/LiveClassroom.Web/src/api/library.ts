import { api, session } from "./session";
import { ApiError } from "./client";

/** The resource library of docs/API-LIBRARY.md. */
export type ResourceStatus = "draft" | "pending_school" | "pending_county" | "published" | "rejected" | "taken_down";

export interface ResourceUrls {
  hls: string;
  poster: string;
  mp4: string;
  chapters: string;
  chaptersEn: string;
}

export interface Resource {
  id: string;
  recordingId: string;
  status: ResourceStatus;
  title: string;
  stage: string | null;
  grade: string | null;
  subject: string | null;
  textbookEdition: string | null;
  chapter: string | null;
  teacherName: string | null;
  schoolName: string | null;
  schoolId: string;
  authorId: string;
  durationSeconds: number | null;
  lastReason: string | null;
  submittedAt: string | null;
  publishedAt: string | null;
  createdAt: string;
  urls: ResourceUrls;
}

export interface Chapter {
  offsetSeconds: number;
  type: string;
  labelZh: string;
  labelEn: string;
}

export interface ResourceStats {
  views: number;
  averageCompletion: number;
  ratingAverage: number | null;
  ratingCount: number;
  myRating: number | null;
}

export interface Review {
  step: string;
  decision: string;
  reason: string | null;
  reviewerId: string;
  reviewerName: string | null;
  createdAt: string;
}

export interface ResourceDetail {
  resource: Resource;
  chapters: Chapter[];
  stats: ResourceStats;
  reviews?: Review[];
  canEdit: boolean;
}

export interface SearchFilters {
  q?: string;
  stage?: string;
  grade?: string;
  subject?: string;
  textbookEdition?: string;
  chapter?: string;
}

export interface RankingItem {
  id: string;
  title: string;
  subject: string | null;
  grade: string | null;
  teacherName: string | null;
  schoolName: string | null;
  views: number;
  averageCompletion: number;
  ratingAverage: number | null;
  ratingCount: number;
  score: number;
}

/** A recording of my school without a resource yet: being recorded, paused, being processed, or failed. */
export interface UnfinishedRecording {
  id: string;
  roomId: string;
  status: "recording" | "paused" | "finalizing" | "failed";
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  failureReason: string | null;
  jobStatus: string | null;
  progress: number | null;
}

export type ResourcePatch = Partial<Pick<Resource, "title" | "stage" | "grade" | "subject" | "textbookEdition" | "chapter">>;

export const stages = ["小学", "初中", "高中"];

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}

const base = "/api/library";

export const library = {
  search: (f: SearchFilters, limit: number, offset: number) =>
    api.get<{ items: Resource[]; limit: number; offset: number }>(`${base}/resources${query({ ...f, limit, offset })}`),
  mine: () => api.get<{ items: Resource[] } | Resource[]>(`${base}/resources/mine`).then(items),
  unfinished: () => api.get<{ items: UnfinishedRecording[] }>(`${base}/recordings/unfinished`).then((r) => r.items),
  get: (id: string) => api.get<ResourceDetail>(`${base}/resources/${encodeURIComponent(id)}`),
  patch: (id: string, patch: ResourcePatch) => api.patch<Resource>(`${base}/resources/${encodeURIComponent(id)}`, patch),
  submit: (id: string) => api.post<Resource>(`${base}/resources/${encodeURIComponent(id)}/submit`),
  queue: () => api.get<{ items: Resource[] }>(`${base}/review-queue`).then((r) => r.items),
  review: (id: string, decision: "approve" | "reject", reason?: string) =>
    api.post<Resource>(`${base}/resources/${encodeURIComponent(id)}/review`, { decision, reason }),
  takedown: (id: string, reason: string) => api.post<Resource>(`${base}/resources/${encodeURIComponent(id)}/takedown`, { reason }),
  startView: (id: string) => api.post<{ viewId: string }>(`${base}/resources/${encodeURIComponent(id)}/views`),
  /** `leaving`: the last report of a view, sent as the page goes away (it must outlive the page). */
  progress: (viewId: string, positionSeconds: number, leaving = false) =>
    api.send<{ completion: number }>("POST", `${base}/views/${encodeURIComponent(viewId)}/progress`, { positionSeconds }, { keepalive: leaving }),
  rate: (id: string, stars: number) => api.put<ResourceStats>(`${base}/resources/${encodeURIComponent(id)}/rating`, { stars }),
  ranking: (period: "term" | "month") => api.get<{ period: string; since: string; items: RankingItem[] }>(`${base}/ranking${query({ period, limit: 20 })}`),
};

function items(r: { items: Resource[] } | Resource[]): Resource[] {
  return Array.isArray(r) ? r : r.items;
}

/**
 * A library file (poster, chapter track, MP4) fetched with the bearer token as a blob URL: `<img>`, `<track>` and
 * download links cannot send the header. The caller revokes the URL.
 */
export async function authorisedBlobUrl(path: string): Promise<string> {
  const token = session.token();
  const res = await fetch(path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new ApiError(res.status, {});
  return URL.createObjectURL(await res.blob());
}

export function formatDuration(seconds: number | null | undefined): string {
  const s = Math.max(0, Math.round(seconds ?? 0));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m % 60)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}
