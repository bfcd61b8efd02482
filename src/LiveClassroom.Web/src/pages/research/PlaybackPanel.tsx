import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../../i18n";
import { clock, research, type ResearchLesson } from "../../api/research";
import type { ResearchLive } from "./ResearchLive";
import { failText, playbackPosition, useTick } from "./util";

/** How far (s) the local video may drift from the shared position before it is sought back. */
const maxDrift = 1;

/**
 * The shared lesson recording: the host picks and shares it; every video follows the host's position on the
 * server clock. The host's own play / pause / seek on the video are sent as SetPlayback.
 */
export function PlaybackPanel({ live, sessionId, lessons, act, onError }: {
  live: ResearchLive; sessionId: string; lessons: ResearchLesson[];
  act: (method: string, ...args: unknown[]) => Promise<boolean>; onError: (text: string | null) => void;
}) {
  useTick(1000);
  const p = live.snapshot?.playback ?? null;
  const isHost = live.hub.myRole === "host";
  const ref = useRef<HTMLVideoElement>(null);
  const [media, setMedia] = useState<{ recordingId: string; url: string } | null>(null);
  const [autoMuted, setAutoMuted] = useState(false);
  // One option per recording (its value is the recording id); labelled with the lesson it belongs to.
  const recorded = lessons.filter((l, i) => l.recordingId && lessons.findIndex((x) => x.recordingId === l.recordingId) === i);
  const [pick, setPick] = useState("");
  // Events the page itself causes on the video (following the host) must not be sent back as the host's.
  const ours = useRef({ play: 0, pause: 0, seek: 0, hostUntil: 0 });
  const sharedLesson = p ? lessons.find((l) => l.recordingId === p.recordingId) : undefined;

  useEffect(() => {
    if (!pick && recorded.length > 0) setPick((sharedLesson ?? recorded[0]).recordingId!);
  }, [recorded.length, sharedLesson?.id]);

  useEffect(() => {
    const id = p?.recordingId;
    if (!id) {
      setMedia(null);
      return;
    }
    if (media?.recordingId === id) return;
    let cancelled = false;
    research.recordingMedia(sessionId, id).then(
      (m) => !cancelled && setMedia({ recordingId: id, url: m.mp4Url }),
      (e) => !cancelled && onError(failText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [p?.recordingId]);

  // Follow the shared position: on every snapshot and every tick.
  useEffect(() => {
    const v = ref.current;
    if (!v || !p || !media || media.recordingId !== p.recordingId || v.readyState < 1) return;
    const now = performance.now();
    if (now < ours.current.hostUntil) return; // our own SetPlayback is on its way
    const target = playbackPosition(live.hub) ?? 0;
    const end = Number.isFinite(v.duration) ? v.duration : Infinity;
    if (Math.abs(v.currentTime - Math.min(target, end)) > maxDrift && !(target >= end && v.ended)) {
      ours.current.seek = now + 1500;
      v.currentTime = Math.min(target, end);
    }
    if (p.playing && v.paused && !v.ended && target < end) {
      ours.current.play = now + 1500;
      v.play().catch((e: unknown) => {
        // Only a refused autoplay with sound is retried muted; a play() cut short by a pause (AbortError) is not.
        if (!(e instanceof DOMException) || e.name !== "NotAllowedError") return;
        v.muted = true;
        setAutoMuted(true);
        v.play().catch(() => {});
      });
    } else if (!p.playing && !v.paused) {
      ours.current.pause = now + 1500;
      v.pause();
    }
  });

  function hostSends(playing: boolean) {
    const v = ref.current;
    if (!isHost || !v || !p) return;
    ours.current.hostUntil = performance.now() + 1500;
    void act("SetPlayback", p.recordingId, playing, v.currentTime);
  }

  async function share() {
    if (pick) await act("SetPlayback", pick, true, 0);
  }

  const position = playbackPosition(live.hub);
  return (
    <section class="panel playback" aria-labelledby="playback-title">
      <h2 id="playback-title">{t("research.playback")}</h2>
      {isHost && (
        <div class="row-form">
          <div class="field">
            <label for="playback-select">{t("research.playbackPick")}</label>
            <select id="playback-select" data-testid="playback-select" value={pick} onChange={(e) => setPick(e.currentTarget.value)} disabled={recorded.length === 0}>
              {recorded.length === 0 && <option value="">{t("research.noRecordings")}</option>}
              {recorded.map((l) => (
                <option key={l.id} value={l.recordingId!}>{l.title}{l.teacherName ? ` · ${l.teacherName}` : ""}</option>
              ))}
            </select>
          </div>
          <button type="button" class="primary" data-testid="btn-share-playback" disabled={!pick} onClick={() => void share()}>
            {t("research.share")}
          </button>
        </div>
      )}
      {p ? (
        <p class="muted">
          {t(p.playing ? "research.playbackPlaying" : "research.playbackPaused", { title: sharedLesson?.title ?? t("research.recording"), at: clock(position ?? 0) })}
        </p>
      ) : (
        <p class="muted">{t("research.noPlayback")}</p>
      )}
      <video
        ref={ref}
        class={`playback-video${media ? "" : " empty"}`}
        data-testid="playback-video"
        src={media?.url}
        controls={isHost}
        playsInline
        preload="auto"
        aria-label={t("research.playbackVideo")}
        onPlay={() => performance.now() > ours.current.play && hostSends(true)}
        onPause={(e) => performance.now() > ours.current.pause && !e.currentTarget.ended && hostSends(false)}
        onSeeked={(e) => performance.now() > ours.current.seek && hostSends(!e.currentTarget.paused)}
        onLoadedMetadata={() => live.changed()}
      />
      {autoMuted && (
        <button type="button" class="secondary" data-testid="btn-unmute-playback" onClick={() => {
          const v = ref.current;
          if (v) v.muted = false;
          setAutoMuted(false);
        }}>
          {t("research.unmute")}
        </button>
      )}
    </section>
  );
}
