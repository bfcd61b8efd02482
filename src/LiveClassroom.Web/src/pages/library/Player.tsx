import type Hls from "hls.js";
import { useEffect, useRef, useState } from "preact/hooks";
import { lang, t } from "../../i18n";
import { session } from "../../api/session";
import { authorisedBlobUrl, formatDuration, library, type Chapter, type Resource } from "../../api/library";
import { useBlobUrl } from "./parts";

/** How often (ms) a viewing session reports its position (docs/API-LIBRARY.md: every ~10 s and at the end). */
const ProgressMs = 10_000;
const resumeKey = (id: string) => `lc.resume.${id}`;

/** Where to start: `?t=` when given (deep link), else where this browser left off (unless that was the end). */
export function startPosition(id: string, duration: number | null): number {
  const fromLink = Number(new URLSearchParams(location.search).get("t"));
  if (Number.isFinite(fromLink) && fromLink > 0) return fromLink;
  const saved = Number(localStorage.getItem(resumeKey(id)));
  if (!Number.isFinite(saved) || saved <= 0) return 0;
  return duration && saved > duration - 5 ? 0 : saved;
}

/**
 * The library's player: hls.js with the bearer token on every request (native HLS where MSE is missing), the
 * WebVTT chapter track and a clickable chapter list, resume and `?t=`, and view/progress reporting when `report`.
 */
export function Player({ resource, chapters, report, onGone }: {
  resource: Resource; chapters: Chapter[]; report: boolean; onGone?: () => void;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(0);
  const view = useRef<{ id: string | null; starting: boolean; last: number }>({ id: null, starting: false, last: 0 });
  const seen = useRef({ position: 0, ended: false });

  // The last position is reported when the viewer leaves: another page of the app (unmount), the tab closed or
  // hidden (a phone switching apps may never come back). Without it a view shorter than one report interval would
  // count as 0 % watched. Declared before the loading effect so its clean-up runs first, and it reads the last
  // position seen when the element has already let go of its media (hls.destroy() empties it: currentTime 0).
  useEffect(() => {
    const v = ref.current;
    if (!report || !v) return;
    const leave = () => {
      const id = view.current.id;
      if (!id) return;
      const { position, ended } = v.readyState > 0 ? { position: v.currentTime, ended: v.ended } : seen.current;
      localStorage.setItem(resumeKey(resource.id), String(ended ? 0 : position));
      view.current.last = performance.now();
      void library.progress(id, position, true).catch(() => {});
    };
    const hidden = () => {
      if (document.visibilityState === "hidden") leave();
    };
    addEventListener("pagehide", leave);
    document.addEventListener("visibilitychange", hidden);
    return () => {
      removeEventListener("pagehide", leave);
      document.removeEventListener("visibilitychange", hidden);
      leave();
    };
  }, [resource.id, report]);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    const start = startPosition(resource.id, resource.durationSeconds);
    const gone = () => {
      setError(t("library.player.gone"));
      onGone?.();
    };
    let hls: Hls | null = null;
    let fallbackUrl: string | null = null;
    let closed = false;
    // hls.js is loaded only by pages that play (a chunk of its own).
    void import("hls.js").then(({ default: Hls }) => {
      if (closed) return;
      if (Hls.isSupported()) {
        hls = new Hls({
          startPosition: start,
          xhrSetup: (xhr) => {
            const token = session.token();
            if (token) xhr.setRequestHeader("Authorization", `Bearer ${token}`);
          },
        });
        hls.on(Hls.Events.ERROR, (_e, data) => {
          if (!data.fatal) return;
          const status = data.response?.code ?? 0;
          if (status === 404 || status === 403) gone();
          else setError(t("library.player.error"));
          hls?.destroy();
        });
        hls.loadSource(resource.urls.hls);
        hls.attachMedia(video);
      } else {
        // No MSE (older Safari): the MP4, fetched with the token, plays natively.
        authorisedBlobUrl(resource.urls.mp4).then(
          (url) => {
            fallbackUrl = url;
            video.src = url;
            video.currentTime = start;
          },
          () => gone(),
        );
      }
    });
    return () => {
      closed = true;
      hls?.destroy();
      if (fallbackUrl) URL.revokeObjectURL(fallbackUrl);
    };
  }, [resource.id]);

  // The chapter track and the poster need the token too: fetched as blob URLs.
  const trackUrl = useBlobUrl(lang() === "zh-CN" ? resource.urls.chapters : resource.urls.chaptersEn);
  const posterUrl = useBlobUrl(resource.urls.poster) ?? undefined;

  async function sendProgress(force: boolean) {
    const v = ref.current;
    if (!v || !report) return;
    const position = v.currentTime;
    localStorage.setItem(resumeKey(resource.id), String(v.ended ? 0 : position));
    const s = view.current;
    if (!s.id) {
      if (s.starting) return;
      s.starting = true;
      try {
        s.id = (await library.startView(resource.id)).viewId;
      } catch {
        s.starting = false;
        return;
      }
    }
    if (!force && performance.now() - s.last < ProgressMs) return;
    s.last = performance.now();
    await library.progress(s.id, position).catch(() => {});
  }

  function seek(seconds: number) {
    const v = ref.current;
    if (!v) return;
    v.currentTime = seconds;
    if (v.paused) void v.play().catch(() => {});
  }

  const current = [...chapters].reverse().find((c) => c.offsetSeconds <= now + 0.25);
  return (
    <div class="player">
      <video
        ref={ref}
        class="player-video"
        data-testid="player-video"
        controls
        playsInline
        preload="auto"
        poster={posterUrl}
        aria-label={t("library.player.video", { title: resource.title })}
        onPlay={() => void sendProgress(true)}
        onPause={() => void sendProgress(true)}
        onEnded={() => {
          seen.current = { position: ref.current?.currentTime ?? 0, ended: true };
          void sendProgress(true);
        }}
        onTimeUpdate={(e) => {
          seen.current = { position: e.currentTarget.currentTime, ended: e.currentTarget.ended };
          setNow(e.currentTarget.currentTime);
          void sendProgress(false);
        }}
      >
        {trackUrl && <track kind="chapters" src={trackUrl} srcLang={lang() === "zh-CN" ? "zh" : "en"} label={t("library.player.chapters")} default />}
      </video>
      {error && <p class="notice error" role="alert" data-testid="player-error">{error}</p>}
      <nav class="chapters" aria-label={t("library.player.chapters")}>
        <h2>{t("library.player.chapters")}</h2>
        {chapters.length === 0 ? (
          <p class="muted">{t("library.player.noChapters")}</p>
        ) : (
          <ol data-testid="chapter-list">
            {chapters.map((c) => (
              <li key={`${c.offsetSeconds}-${c.type}`}>
                <button
                  type="button"
                  class={`link${current === c ? " current" : ""}`}
                  data-testid="chapter"
                  data-offset={c.offsetSeconds}
                  aria-current={current === c ? "true" : undefined}
                  onClick={() => seek(c.offsetSeconds)}
                >
                  <span class="chapter-time">{formatDuration(c.offsetSeconds)}</span> {lang() === "zh-CN" ? c.labelZh : c.labelEn}
                </button>
              </li>
            ))}
          </ol>
        )}
      </nav>
    </div>
  );
}
