/**
 * The pre-class network check (docs/RURAL-LINKS.md): round trips, a download and an upload timed against the
 * server's /api/network-check endpoints. Loss here is the share of round trips that got no answer within 2 s — the
 * browser sees no UDP loss before a class; during one, the console's tiles show what the SFU measures.
 */
export interface NetworkFigures {
  downKbps: number;
  upKbps: number;
  rttMs: number;
  lossPercent: number;
}

export type NetworkLevel = "good" | "fair" | "poor";

const Pings = 8;
const PingTimeoutMs = 2000;
const DownloadBytes = 1024 * 1024;
const DownloadDeadlineMs = 8000;
const UploadBytes = 256 * 1024;
const UploadTimeoutMs = 15000;

/**
 * Good: the teacher's top layer (~1.5 Mbps) fits and a classroom on stage can send its picture; fair: the middle or
 * low layer (~150–450 kbps) fits; poor: below that, or round trips so slow or lossy that video will stall.
 */
export function rate(f: NetworkFigures): NetworkLevel {
  if (f.downKbps >= 2000 && f.upKbps >= 500 && f.rttMs <= 250 && f.lossPercent === 0) return "good";
  if (f.downKbps >= 400 && f.upKbps >= 150 && f.rttMs <= 600 && f.lossPercent <= 15) return "fair";
  return "poor";
}

export async function checkNetwork(token: string | null, signal: AbortSignal): Promise<NetworkFigures> {
  const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  const { rttMs, lossPercent } = await roundTrips(headers, signal);
  const downKbps = await download(headers, signal);
  const upKbps = await upload(headers, signal);
  return { downKbps, upKbps, rttMs, lossPercent };
}

async function roundTrips(headers: Record<string, string>, signal: AbortSignal): Promise<{ rttMs: number; lossPercent: number }> {
  const times: number[] = [];
  // One round first that is not counted: it opens the connection (and warms the server's code path).
  await fetch("/api/network-check/ping", { headers, cache: "no-store", signal: AbortSignal.any([signal, AbortSignal.timeout(PingTimeoutMs)]) }).catch(() => {
    if (signal.aborted) throw signal.reason;
  });
  for (let i = 0; i < Pings; i++) {
    const started = performance.now();
    try {
      const res = await fetch(`/api/network-check/ping?n=${i}`, { headers, cache: "no-store", signal: AbortSignal.any([signal, AbortSignal.timeout(PingTimeoutMs)]) });
      if (res.ok) times.push(performance.now() - started);
    } catch (e) {
      if (signal.aborted) throw e;
    }
  }
  times.sort((a, b) => a - b);
  const rttMs = times.length > 0 ? Math.round(times[Math.floor(times.length / 2)]) : PingTimeoutMs;
  return { rttMs, lossPercent: Math.round((100 * (Pings - times.length)) / Pings) };
}

/** Reads the body as it comes and stops at the deadline: on a slow link the bytes so far give the rate. */
async function download(headers: Record<string, string>, signal: AbortSignal): Promise<number> {
  const deadline = new AbortController();
  const timer = window.setTimeout(() => deadline.abort(), DownloadDeadlineMs);
  const started = performance.now();
  let bytes = 0;
  try {
    const res = await fetch(`/api/network-check/download?bytes=${DownloadBytes}`, { headers, cache: "no-store", signal: AbortSignal.any([signal, deadline.signal]) });
    if (!res.ok || !res.body) return 0;
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
    }
  } catch (e) {
    if (signal.aborted) throw e;
  } finally {
    clearTimeout(timer);
  }
  return kbps(bytes, performance.now() - started);
}

async function upload(headers: Record<string, string>, signal: AbortSignal): Promise<number> {
  const body = new Uint8Array(UploadBytes);
  crypto.getRandomValues(body.subarray(0, 65536));
  const started = performance.now();
  try {
    const res = await fetch("/api/network-check/upload", {
      method: "POST",
      headers: { ...headers, "Content-Type": "application/octet-stream" },
      body,
      cache: "no-store",
      signal: AbortSignal.any([signal, AbortSignal.timeout(UploadTimeoutMs)]),
    });
    return res.ok ? kbps(UploadBytes, performance.now() - started) : 0;
  } catch (e) {
    if (signal.aborted) throw e;
    return 0;
  }
}

function kbps(bytes: number, ms: number): number {
  return ms > 0 ? Math.round((bytes * 8) / ms) : 0;
}
