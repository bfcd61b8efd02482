import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { t } from "../../../i18n";
import { api } from "../../../api/session";
import { errorText } from "../../../api/client";
import { linkClick } from "../../../router";
import { formatOffset, getComparison, getRecordingMedia, type Comparison, type LessonReport, type RecordingMedia } from "../../../api/researchDocs";
import { DocsLayout, LoadState, useLoad } from "./DocsLayout";
import { ScoreTable } from "./ScoreTable";
import { ReportComments } from "./ReportComments";
import { VideoSync } from "./playback";

type MediaState = { media: RecordingMedia } | { error: string } | { none: true } | null;

async function loadComparison(sessionId: string, chapter: string | null): Promise<{ comparison: Comparison; media: Record<string, MediaState> }> {
  const comparison = await getComparison(api, sessionId, chapter);
  const media: Record<string, MediaState> = {};
  await Promise.all(
    comparison.lessons.map(async (r) => {
      const rec = r.lesson.recordingId;
      if (!rec) return void (media[r.lesson.id] = { none: true });
      try {
        media[r.lesson.id] = { media: await getRecordingMedia(api, sessionId, rec) };
      } catch (e) {
        media[r.lesson.id] = { error: errorText(e) };
      }
    }),
  );
  return { comparison, media };
}

/** 同课异构: the lessons of one chapter side by side, their videos on one shared timeline. */
export function ComparePage({ sessionId }: { sessionId: string }) {
  const [chapter] = useState(() => new URLSearchParams(location.search).get("chapter") || null);
  const { data, error } = useLoad(() => loadComparison(sessionId, chapter), [sessionId, chapter]);
  return (
    <DocsLayout wide>
      <h1>{t("researchDocs.compare.title", { chapter: data?.comparison.chapter || chapter || t("researchDocs.compare.allChapters") })}</h1>
      {!data ? (
        <LoadState error={error} />
      ) : data.comparison.lessons.length === 0 ? (
        <p class="empty" data-testid="compare-empty">{t("researchDocs.compare.none")}</p>
      ) : (
        <Columns sessionId={sessionId} lessons={data.comparison.lessons} media={data.media} />
      )}
    </DocsLayout>
  );
}

function Columns({ sessionId, lessons, media }: { sessionId: string; lessons: LessonReport[]; media: Record<string, MediaState> }) {
  const sync = useMemo(() => new VideoSync(), []);
  const [offsets, setOffsets] = useState<Record<string, number>>({});
  const withVideo = lessons.filter((r) => media[r.lesson.id] && "media" in media[r.lesson.id]!);
  // Only one column is heard at first: several soundtracks at once are noise. Each column can turn its sound on.
  const [audible, setAudible] = useState<string | null>(withVideo[0]?.lesson.id ?? null);
  useEffect(() => () => sync.dispose(), [sync]);

  function nudge(id: string, by: number) {
    const next = Math.round(((offsets[id] ?? 0) + by) * 10) / 10;
    setOffsets({ ...offsets, [id]: next });
    sync.setOffset(id, next);
  }

  return (
    <>
      {withVideo.length > 0 && <ControlBar sync={sync} />}
      <div class="rdocs-columns">
        {lessons.map((r) => (
          <Column key={r.lesson.id} report={r} state={media[r.lesson.id]} sessionId={sessionId} sync={sync}
            offset={offsets[r.lesson.id] ?? 0} onNudge={(by) => nudge(r.lesson.id, by)}
            audible={audible === r.lesson.id} onAudible={(on) => setAudible(on ? r.lesson.id : null)} />
        ))}
      </div>
    </>
  );
}

/** One play/pause and one position for every column; redraws itself four times a second, the columns never. */
function ControlBar({ sync }: { sync: VideoSync }) {
  const [, redraw] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => redraw((n) => n + 1), 250);
    return () => window.clearInterval(timer);
  }, []);
  const now = sync.time();
  const duration = sync.duration();
  const playing = sync.playing();
  return (
    <div class="rdocs-controls panel" role="group" aria-label={t("researchDocs.compare.controls")}>
      <button type="button" class="primary" data-testid="btn-compare-play"
        onClick={() => (playing ? sync.pause() : sync.play(), redraw((n) => n + 1))}>
        {playing ? t("researchDocs.compare.pause") : t("researchDocs.compare.play")}
      </button>
      <label class="sr-only" for="compare-seek">{t("researchDocs.compare.seek")}</label>
      <input id="compare-seek" type="range" data-testid="compare-seek" min={0} max={Math.max(duration, 0.1)} step={0.1}
        value={Math.min(now, duration)} aria-valuetext={formatOffset(now)}
        onInput={(e) => (sync.seek(Number(e.currentTarget.value)), redraw((n) => n + 1))} />
      <span class="rdocs-clock">
        {formatOffset(now)} / {formatOffset(duration)}
      </span>
    </div>
  );
}

function Column(props: {
  report: LessonReport;
  state: MediaState;
  sessionId: string;
  sync: VideoSync;
  offset: number;
  onNudge: (by: number) => void;
  audible: boolean;
  onAudible: (on: boolean) => void;
}) {
  const { report: r, state, sync, offset } = props;
  const id = r.lesson.id;
  const video = useRef<HTMLVideoElement>(null);
  const headingId = `compare-${id}`;
  const reportHref = `/research/${encodeURIComponent(props.sessionId)}/lessons/${encodeURIComponent(id)}/report`;

  useEffect(() => {
    sync.attach(id, video.current, offset);
    return () => sync.attach(id, null, 0);
  }, [sync, id, state]);

  return (
    <section class="panel rdocs-column" data-testid="compare-column" data-lesson-id={id} aria-labelledby={headingId}>
      <h2 id={headingId}>{r.lesson.title}</h2>
      <p class="muted">
        {r.lesson.teacherName || "—"} · <a href={reportHref} onClick={linkClick}>{t("researchDocs.compare.report")}</a>
      </p>
      {state && "media" in state ? (
        <>
          <video ref={video} data-testid="compare-video" class="rdocs-video" preload="metadata" playsInline
            src={state.media.mp4Url} poster={state.media.posterUrl ?? undefined} muted={!props.audible}
            aria-label={t("researchDocs.watch.videoLabel", { lesson: r.lesson.title })}
            onLoadedMetadata={() => sync.setOffset(id, offset)} />
          <div class="rdocs-nudge" role="group" aria-label={t("researchDocs.compare.offset")}>
            <button type="button" class="small secondary" onClick={() => props.onNudge(-1)} aria-label={t("researchDocs.compare.earlier")}>−1 s</button>
            <button type="button" class="small secondary" onClick={() => props.onNudge(-0.1)} aria-label={t("researchDocs.compare.earlierFine")}>−0.1</button>
            <output data-testid="compare-offset" aria-live="polite">
              {t("researchDocs.compare.offsetValue", { seconds: offset > 0 ? `+${offset}` : String(offset) })}
            </output>
            <button type="button" class="small secondary" onClick={() => props.onNudge(0.1)} aria-label={t("researchDocs.compare.laterFine")}>+0.1</button>
            <button type="button" class="small secondary" onClick={() => props.onNudge(1)} aria-label={t("researchDocs.compare.later")}>+1 s</button>
            <label class="check">
              <input type="checkbox" checked={props.audible} onChange={(e) => props.onAudible(e.currentTarget.checked)} />
              {t("researchDocs.compare.sound")}
            </label>
          </div>
        </>
      ) : (
        <p class="no-video" role="status">
          {state && "error" in state ? state.error : t("researchDocs.watch.noRecording")}
        </p>
      )}
      <h3>{t("researchDocs.report.scores")}</h3>
      <ScoreTable report={r} />
      <h3>{t("researchDocs.report.comments")}</h3>
      <ReportComments report={r} onSeek={state && "media" in state ? (s) => sync.seek(s - offset) : undefined} />
    </section>
  );
}
