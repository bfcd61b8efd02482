import { useEffect, useRef, useState } from "preact/hooks";
import { ActionKey } from "../../api/actionKey";
import { t } from "../../i18n";
import { deviceApi, session } from "../../api/session";
import type { Device, Lesson } from "../../api/types";
import { LiveClass, classroomSlots, useLiveClass } from "../../live/LiveClass";
import { classroomName, placeLabel } from "../../live/classrooms";
import { AudioSink, VideoView } from "../../components/MediaView";
import { ChatPanel } from "../../components/ChatPanel";
import { MediaTakenOver } from "../../components/MediaTakenOver";
import { LiveRegion } from "../../components/LiveRegion";
import { Notice } from "../../components/Notice";
import { RecordingBadge } from "../console/RecordingBadge";

/**
 * The class on the projector, readable from the back of the room at 1920×1080: the lead teacher large, or
 * the courseware large with the teacher picture-in-picture while sharing; other classrooms on stage in a corner.
 */
export function ProjectorClass({ classId, lesson, device, onEnded }: { classId: string; lesson?: Lesson; device: Device | null; onEnded: () => void }) {
  const { live, fatal } = useLiveClass(() => new LiveClass(classId, session.deviceToken, classroomSlots, "classroom"), [classId]);
  const [error, setError] = useState<string | null>(null);
  const [teacherShowing, setTeacherShowing] = useState(false);
  const raiseKey = useRef(new ActionKey()).current;
  const s = live?.snapshot;
  const ended = s?.state === "Ended";

  useEffect(() => {
    if (ended) onEnded();
  }, [ended]);

  const me = live?.you?.classroomId ?? device?.classroomId ?? null;
  const lead = s?.participants.find((p) => p.role === "Lead" && p.connection === "Connected");
  const sharing = !!s?.participants.some((p) => p.role === "Lead" && p.connection === "Connected" && p.publishes?.screenMid);
  const others = (s?.stage ?? []).filter((seat) => seat.classroomId !== me);
  const weAreOnStage = !!me && !!s?.stage.some((seat) => seat.classroomId === me);
  const handUp = !!me && !!s?.handQueue.includes(me);
  const muted = !!me && !!s?.classrooms.find((c) => c.classroomId === me)?.mutedByLead;
  const media = live?.media;
  const reconnecting = !!live && (live.hub.status === "reconnecting" || media?.state === "disconnected" || media?.state === "failed");
  // The teacher's frames stopped (reloading, network gone) while the teacher is still in the class: say so over the
  // last frame rather than leave it frozen. Cleared by the next decoded frame.
  const teacherStalled = s?.state === "Live" && !!media?.stalled("main")
    && !!s.participants.some((p) => p.role === "Lead" && p.connection !== "Left");
  // Audio-first: this classroom's link cannot carry the teacher's video now, so the SFU paused it (MediaQuality) and
  // sends sound only; the last frame stays with this notice until the SFU resumes the video by itself.
  const audioOnly = s?.state === "Live" && !!live?.hub.mediaQuality?.paused;

  return (
    <main class={`projector in-class${sharing ? " sharing" : ""}`} data-testid="projector-class">
      <h1 class="sr-only">{s?.title || lesson?.subject || t("projector.title")}</h1>
      <div class="stage-area">
        {sharing ? (
          <>
            <VideoView stream={media?.streams.get("screen")} label={t("projector.screen")} class="main-video" testId="screen-video" />
            <VideoView stream={media?.streams.get("main")} label={t("projector.teacher")} class="pip" testId="teacher-video" onFrames={setTeacherShowing} />
          </>
        ) : (
          <VideoView stream={media?.streams.get("main")} label={t("projector.teacher")} class="main-video" testId="teacher-video" onFrames={setTeacherShowing} />
        )}
        {audioOnly ? (
          <div class="overlay-note stalled" role="status" data-testid="audio-only">
            <p>{t("projector.audioOnly")}</p>
          </div>
        ) : teacherStalled ? (
          <div class="overlay-note stalled" role="status" data-testid="teacher-stalled">
            <p>{t("projector.teacherStalled")}</p>
          </div>
        ) : (
          s && !sharing && (!lead || !teacherShowing) && (
            <div class="overlay-note">
              <p class="overlay-title">{s.title || lesson?.subject}</p>
              <p>{!lead ? (s.state === "Scheduled" ? t("projector.notStarted") : t("projector.teacherAway")) : t("projector.videoSoon")}</p>
            </div>
          )
        )}
        {others.length > 0 && (
          <div class="stage-tiles">
            {others.map((seat) => (
              <figure class="stage-tile" key={seat.classroomId} data-testid="projector-stage-tile">
                <div class="tile-video">
                  <VideoView stream={media?.streams.get(`stage${seat.seat}`)} label={t("tiles.videoOf", { name: classroomName(s!, seat.classroomId) })} />
                  {live?.mediaGone(seat.classroomId) && (
                    <p class="stalled-note" role="status" data-testid="stage-media-lost">{t("tiles.stalled", { name: classroomName(s!, seat.classroomId) })}</p>
                  )}
                </div>
                <figcaption>{classroomName(s!, seat.classroomId)}</figcaption>
              </figure>
            ))}
          </div>
        )}
      </div>
      <aside class="projector-side">
        <p class="projector-room">{device ? placeLabel(device.schoolName, device.classroomName) : ""}</p>
        {s && <RecordingBadge classId={classId} live={s.state === "Live"} client={deviceApi} />}
        {weAreOnStage && <p class="on-air" role="status" data-testid="on-stage">{t("projector.onStage")}</p>}
        {muted && <p class="muted-banner" role="status" data-testid="muted-banner">{t("projector.muted")}</p>}
        <Notice text={live?.local.cameraError ? t(live.local.cameraError) : null} testId="camera-error" />
        <Notice text={live?.local.microphoneError ? t(live.local.microphoneError) : null} testId="mic-error" />
        <button
          type="button"
          class={`hand-button${handUp ? " raised" : ""}`}
          aria-pressed={handUp}
          disabled={!live || s?.state !== "Live" || reconnecting}
          data-testid="hand-button"
          onClick={async () => {
            if (handUp) {
              // The hand is up, so any earlier raise is over: the next press is a new action.
              raiseKey.done();
              return setError((await live?.act("LowerHand")) ?? null);
            }
            // Retried raises of one press carry one key: a raise done by a node whose answer was lost is not done again.
            const err = (await live?.act("RaiseHandOnce", raiseKey.for())) ?? null;
            if (!err) raiseKey.done();
            setError(err);
          }}
        >
          {handUp ? t("projector.lowerHand") : t("projector.raiseHand")}
        </button>
        <Notice text={error ?? fatal} testId="action-error" />
        {live && s?.state === "Live" && <MediaTakenOver live={live} />}
        {live && <ChatPanel live={live} canModerate={false} large />}
        {live && <LiveRegion items={live.announcements} label={t("events.title")} class="projector-events" />}
      </aside>
      {(reconnecting || (!s && !fatal)) && (
        <div class="reconnect-overlay" role="alert" data-testid="reconnecting">
          {reconnecting ? t("link.reconnectingBig") : t("link.joining")}
        </div>
      )}
      <AudioSink stream={media?.streams.get("main-audio")} />
      {[1, 2, 3, 4].map((n) => (
        <AudioSink key={n} stream={n === s?.stage.find((x) => x.classroomId === me)?.seat ? null : media?.streams.get(`stage${n}-audio`)} />
      ))}
    </main>
  );
}
