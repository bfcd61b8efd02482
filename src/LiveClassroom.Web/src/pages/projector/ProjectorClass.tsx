import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { session } from "../../api/session";
import type { Device, Lesson } from "../../api/types";
import type { ClassSnapshot } from "../../hub/types";
import { LiveClass, classroomName, classroomSlots, eventKeys, useLiveClass } from "../../live/LiveClass";
import { AudioSink, VideoView } from "../../components/MediaView";
import { ChatPanel } from "../../components/ChatPanel";
import { LiveRegion } from "../../components/LiveRegion";
import { Notice } from "../../components/Notice";

function describe(s: ClassSnapshot, key: string, classroomId?: string): string | null {
  const k = eventKeys[key];
  // The projector announces what concerns the room: stage, mute, class start/end.
  if (!k || key === "ParticipantJoined" || key === "ParticipantLeft" || key === "HandRaised") return null;
  if (key === "StageChanged" && !classroomId) return t("event.stageCleared");
  if (key === "MuteChanged") return t(s.muted.includes(classroomId ?? "") ? "event.muted" : "event.unmuted", { name: classroomName(s, classroomId) });
  return t(k, { name: classroomName(s, classroomId) });
}

/** The class on the projector, readable from the back of the room at 1920×1080. */
export function ProjectorClass({ classId, lesson, device, onEnded }: { classId: string; lesson: Lesson; device: Device | null; onEnded: () => void }) {
  const { live, fatal } = useLiveClass(() => new LiveClass(classId, session.deviceToken, classroomSlots, describe), [classId]);
  const [error, setError] = useState<string | null>(null);
  const s = live?.snapshot;
  const ended = s?.state === "ended";

  useEffect(() => {
    if (!ended) return;
    // Leave the end screen up long enough to be read, then go back to waiting for the next lesson.
    const timer = setTimeout(onEnded, 60_000);
    return () => clearTimeout(timer);
  }, [ended]);

  if (ended)
    return (
      <main class="projector waiting">
        <h1 class="huge" data-testid="end-screen">
          {t("projector.ended")}
        </h1>
        <p class="big-text">{lesson.title || lesson.subject || ""}</p>
      </main>
    );

  const me = s?.you.classroomId ?? device?.classroomId ?? null;
  const lead = s?.participants.find((p) => p.role === "lead" && p.connection === "connected" && p.tile?.camera !== false);
  const sharing = !!s?.participants.some((p) => p.role === "lead" && p.tile?.screen);
  const onStage = s?.stage ?? null;
  const weAreOnStage = !!me && onStage === me;
  const handUp = !!me && !!s?.handQueue.includes(me);
  const muted = !!me && !!s?.muted.includes(me);
  const media = live?.media;
  const reconnecting = !live || live.hub.status !== "connected" || media?.state === "disconnected" || media?.state === "failed";

  return (
    <main class={`projector in-class${sharing ? " sharing" : ""}`}>
      <h1 class="sr-only">{lesson.title || t("projector.title")}</h1>
      <div class="stage-area">
        {sharing ? (
          <>
            <VideoView stream={media?.streams.get("screen")} label={t("projector.screen")} class="main-video" testId="screen-video" />
            <VideoView stream={media?.streams.get("main")} label={t("projector.teacher")} class="pip" testId="teacher-video" />
          </>
        ) : (
          <VideoView stream={media?.streams.get("main")} label={t("projector.teacher")} class="main-video" testId="teacher-video" />
        )}
        {!lead && s && <p class="overlay-note">{s.state === "ready" ? t("projector.notStarted") : t("projector.teacherAway")}</p>}
        {onStage && !weAreOnStage && (
          <figure class="stage-tile">
            <VideoView stream={media?.streams.get("stage")} label={t("tiles.videoOf", { name: classroomName(s!, onStage) })} />
            <figcaption>{classroomName(s!, onStage)}</figcaption>
          </figure>
        )}
      </div>
      <aside class="projector-side">
        <p class="projector-room">{device ? device.classroomName : ""}</p>
        {weAreOnStage && <p class="on-air" role="status">{t("projector.onStage")}</p>}
        {muted && <p class="muted-banner" role="status">{t("projector.muted")}</p>}
        <Notice text={live?.local.cameraError ? t(live.local.cameraError) : null} testId="camera-error" />
        <Notice text={live?.local.microphoneError ? t(live.local.microphoneError) : null} testId="mic-error" />
        <button
          type="button"
          class={`hand-button${handUp ? " raised" : ""}`}
          aria-pressed={handUp}
          disabled={!live || s?.state !== "live"}
          data-testid="hand-button"
          onClick={async () => setError((await live?.act(handUp ? "LowerHand" : "RaiseHand")) ?? null)}
        >
          {handUp ? t("projector.lowerHand") : t("projector.raiseHand")}
        </button>
        <Notice text={error ?? fatal} testId="action-error" />
        {live && <ChatPanel live={live} canModerate={false} large />}
        {live && <LiveRegion items={live.announcements} label={t("events.title")} class="projector-events" />}
      </aside>
      {reconnecting && (
        <div class="reconnect-overlay" role="alert" data-testid="reconnecting">
          {live?.hub.status === "connecting" && !s ? t("link.joining") : t("link.reconnectingBig")}
        </div>
      )}
      <AudioSink stream={media?.streams.get("main-audio")} />
      <AudioSink stream={media?.streams.get("stage-audio")} />
    </main>
  );
}
