import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../../i18n";
import { VideoView } from "../../components/MediaView";
import { MediaTakenOver } from "../../components/MediaTakenOver";
import { Notice } from "../../components/Notice";
import type { ResearchLive } from "./ResearchLive";

/** A slot's <audio>: plays when the stream arrives; tells the page when the browser refuses autoplay. */
function SlotAudio({ stream, testId, label, onBlocked, register }: {
  stream?: MediaStream | null; testId: string; label: string; onBlocked: () => void; register: (el: HTMLAudioElement | null) => void;
}) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    register(ref.current);
    return () => register(null);
  }, []);
  useEffect(() => {
    const a = ref.current;
    if (!a) return;
    a.srcObject = stream ?? null;
    if (stream) a.play().catch((e: { name?: string }) => e?.name === "NotAllowedError" && onBlocked());
  }, [stream?.id]);
  return <audio ref={ref} autoplay data-testid={testId} aria-label={label} />;
}

/**
 * Who is seen and heard: the speaker big (else the host), the host small beside a speaker, the participants'
 * tiles (one's own tile is the local preview), and the host's and speaker's audio.
 */
export function MediaStage({ live }: { live: ResearchLive }) {
  const s = live.snapshot;
  const me = live.hub.personId;
  const role = live.hub.myRole;
  const streams = live.media.streams;
  const audios = useRef(new Set<HTMLAudioElement>());
  const [blocked, setBlocked] = useState(false);
  const speaker = s?.speaker ?? null;
  const hostName = s?.participants.find((p) => p.role === "host")?.displayName ?? t("research.role.host");
  const nameOf = (id: string) => s?.participants.find((p) => p.personId === id)?.displayName ?? "";
  const tiles = (s?.tiles ?? []).slice(0, 12);
  const localCam = live.local.camera;

  function enableAudio() {
    // A user gesture lets every <audio> with a source play from now on.
    const all = [...audios.current].filter((a) => a.srcObject).map((a) => a.play());
    Promise.all(all).then(() => setBlocked(false), () => setBlocked(true));
  }
  const register = (el: HTMLAudioElement | null, prev: { el: HTMLAudioElement | null }) => {
    if (prev.el) audios.current.delete(prev.el);
    prev.el = el;
    if (el) audios.current.add(el);
  };
  const hostReg = useRef({ el: null as HTMLAudioElement | null });
  const speakerReg = useRef({ el: null as HTMLAudioElement | null });

  const hostVideo =
    role === "host" ? (
      localCam ? <VideoView track={localCam} label={t("research.videoHostSelf")} mirror testId="video-host" class="stage-video" /> : <div class="no-video stage-video" data-testid="video-host">{t("devices.noCamera")}</div>
    ) : (
      <VideoView stream={streams.get("host")} label={t("research.videoHost", { name: hostName })} testId="video-host" class="stage-video" />
    );
  const speakerVideo = speaker
    ? speaker.personId === me
      ? localCam ? <VideoView track={localCam} label={t("research.videoSpeakerSelf")} mirror testId="video-speaker" class="stage-video" /> : <div class="no-video stage-video" data-testid="video-speaker">{t("devices.noCamera")}</div>
      : <VideoView stream={streams.get("speaker")} label={t("research.videoSpeaker", { name: speaker.displayName })} testId="video-speaker" class="stage-video" />
    : null;

  return (
    <section class="panel media-stage" aria-labelledby="stage-title">
      <h2 id="stage-title" class="sr-only">{t("research.stage")}</h2>
      {role === "observer" && <p class="notice info observer-note" data-testid="observer-note">{t("research.observerNote")}</p>}
      <div class={`stage${speaker ? " with-speaker" : ""}`}>
        <figure class="stage-main">
          {speakerVideo ?? hostVideo}
          <figcaption>{speaker ? t("research.captionSpeaker", { name: speaker.displayName }) : t("research.captionHost", { name: hostName })}</figcaption>
        </figure>
        {speaker && (
          <figure class="stage-pip">
            {hostVideo}
            <figcaption>{t("research.captionHost", { name: hostName })}</figcaption>
          </figure>
        )}
      </div>
      {live.publishes && (
        <>
          <Notice text={live.local.cameraError ? t(live.local.cameraError) : null} testId="camera-error" />
          <Notice text={live.local.microphoneError ? t(live.local.microphoneError) : null} testId="mic-error" />
        </>
      )}
      <Notice text={live.mediaError ? t("media.negotiateFailed", { reason: live.mediaError }) : null} testId="media-error" />
      <MediaTakenOver live={live} />
      {blocked && (
        <button type="button" class="primary" data-testid="btn-enable-audio" onClick={enableAudio}>
          {t("research.enableAudio")}
        </button>
      )}
      <p class="observers">
        {t("research.observers")}
        <span data-testid="observer-count">{s?.observerCount ?? 0}</span>
      </p>
      {tiles.length > 0 && (
        <ul class="research-tiles" aria-label={t("research.tiles")}>
          {tiles.map((id, i) => (
            <li key={id}>
              <figure class="research-tile" data-testid="tile" data-person-id={id}>
                {id === me
                  ? localCam ? <VideoView track={localCam} label={t("devices.preview")} mirror /> : <div class="no-video">{t("devices.noCamera")}</div>
                  : <VideoView stream={streams.get(`tile${i + 1}`)} label={nameOf(id)} />}
                <figcaption>{nameOf(id)}{id === me ? ` ${t("research.you")}` : ""}</figcaption>
              </figure>
            </li>
          ))}
        </ul>
      )}
      {/* Only the host and the speaker are heard (the SFU routes nobody else's microphone). */}
      <SlotAudio stream={role === "host" ? null : streams.get("host-audio")} testId="audio-host" label={t("research.audioHost")}
        onBlocked={() => setBlocked(true)} register={(el) => register(el, hostReg.current)} />
      <SlotAudio stream={speaker && speaker.personId !== me ? streams.get("speaker-audio") : null} testId="audio-speaker" label={t("research.audioSpeaker")}
        onBlocked={() => setBlocked(true)} register={(el) => register(el, speakerReg.current)} />
    </section>
  );
}
