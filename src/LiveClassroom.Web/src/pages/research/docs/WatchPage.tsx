import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../../../i18n";
import { api } from "../../../api/session";
import { linkClick } from "../../../router";
import {
  formatOffset,
  getLessonComments,
  getLessons,
  getRecordingMedia,
  type LessonComment,
  type RecordingMedia,
  type ResearchLesson,
} from "../../../api/researchDocs";
import { DocsLayout, LoadState, useLoad } from "./DocsLayout";
import { playQuietly, startAt } from "./playback";

interface Watch {
  lesson: ResearchLesson | null;
  media: RecordingMedia | null;
  comments: LessonComment[];
}

async function loadWatch(sessionId: string, lessonId: string): Promise<Watch> {
  const lessons = await getLessons(api, sessionId);
  const lesson = lessons.find((l) => l.id === lessonId) ?? null;
  if (!lesson?.recordingId) return { lesson, media: null, comments: [] };
  const [media, comments] = await Promise.all([
    getRecordingMedia(api, sessionId, lesson.recordingId),
    getLessonComments(api, sessionId, lessonId).catch(() => [] as LessonComment[]),
  ]);
  return { lesson, media, comments };
}

/** The second to start from: `?t=N` (whole or fractional seconds), 0 when absent or not a number. */
function startSecond(): number {
  const n = Number(new URLSearchParams(location.search).get("t"));
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/** Plays a lesson's recording from `?t=` with the lesson's comments beside it as seek points. */
export function WatchPage({ sessionId, lessonId }: { sessionId: string; lessonId: string }) {
  const [start] = useState(startSecond);
  const { data, error } = useLoad(() => loadWatch(sessionId, lessonId), [sessionId, lessonId]);
  const reportHref = `/research/${encodeURIComponent(sessionId)}/lessons/${encodeURIComponent(lessonId)}/report`;
  return (
    <DocsLayout wide>
      <div class="page-head">
        <h1>{data?.lesson ? t("researchDocs.watch.title", { lesson: data.lesson.title }) : t("researchDocs.watch.heading")}</h1>
        <a href={reportHref} onClick={linkClick}>
          {t("researchDocs.watch.report")}
        </a>
      </div>
      {!data ? (
        <LoadState error={error} />
      ) : !data.lesson ? (
        <p class="notice info" role="status" data-testid="watch-missing">{t("researchDocs.watch.noLesson")}</p>
      ) : !data.media ? (
        <p class="notice info" role="status" data-testid="watch-missing">{t("researchDocs.watch.noRecording")}</p>
      ) : (
        <Player media={data.media} comments={data.comments} start={start} lesson={data.lesson} />
      )}
    </DocsLayout>
  );
}

function Player({ media, comments, start, lesson }: { media: RecordingMedia; comments: LessonComment[]; start: number; lesson: ResearchLesson }) {
  const video = useRef<HTMLVideoElement>(null);
  const [now, setNow] = useState(start);
  const nearest = nearestComment(comments, now);

  // Back/forward between ?t= of the same lesson keeps this page mounted (the path is unchanged): seek instead.
  useEffect(() => {
    const onPop = () => video.current && video.current.readyState >= HTMLMediaElement.HAVE_METADATA && seek(startSecond());
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);

  function seek(seconds: number) {
    const v = video.current;
    if (!v) return;
    v.currentTime = seconds;
    setNow(seconds);
    playQuietly(v, true);
  }

  return (
    <div class="rdocs-watch">
      <div>
        <video
          ref={video}
          data-testid="watch-video"
          class="rdocs-video"
          controls
          playsInline
          preload="metadata"
          src={media.mp4Url}
          poster={media.posterUrl ?? undefined}
          aria-label={t("researchDocs.watch.videoLabel", { lesson: lesson.title })}
          onLoadedMetadata={(e) => startAt(e.currentTarget, start)}
          onTimeUpdate={(e) => setNow(e.currentTarget.currentTime)}
          onSeeked={(e) => setNow(e.currentTarget.currentTime)}
        />
        <p class="hint">
          {lesson.teacherName && `${lesson.teacherName} · `}
          {t("researchDocs.watch.startedAt", { time: formatOffset(start) })}
        </p>
      </div>
      <section class="panel" aria-labelledby="watch-comments">
        <h2 id="watch-comments">
          {t("researchDocs.report.comments")} <span class="count">({comments.length})</span>
        </h2>
        {comments.length === 0 ? (
          <p class="muted">{t("researchDocs.noComments")}</p>
        ) : (
          <ol class="rdocs-comments" data-testid="watch-comments">
            {comments.map((c) => (
              <li key={c.id} class={c.id === nearest ? "current" : undefined} aria-current={c.id === nearest ? "true" : undefined} data-testid="watch-comment">
                <div class="chat-meta">
                  <button type="button" class="small secondary rdocs-timecode" onClick={() => seek(c.offsetSeconds)}
                    aria-label={t("researchDocs.playFrom", { time: formatOffset(c.offsetSeconds) })}>
                    {formatOffset(c.offsetSeconds)}
                  </button>
                  <strong>{c.authorName}</strong>
                </div>
                <p class="chat-text">{c.body}</p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}

function nearestComment(comments: LessonComment[], now: number): string | null {
  let best: LessonComment | null = null;
  for (const c of comments) if (!best || Math.abs(c.offsetSeconds - now) < Math.abs(best.offsetSeconds - now)) best = c;
  return best?.id ?? null;
}
