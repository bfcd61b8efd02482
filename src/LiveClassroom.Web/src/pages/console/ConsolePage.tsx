import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { session } from "../../api/session";
import { LiveClass, classroomName, eventKeys, leadSlots, useLiveClass } from "../../live/LiveClass";
import { classroomsOf } from "../../live/classrooms";
import type { ClassSnapshot } from "../../hub/types";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { ConfirmButton } from "../../components/ConfirmButton";
import { LiveRegion } from "../../components/LiveRegion";
import { ChatPanel } from "../../components/ChatPanel";
import { AudioSink } from "../../components/MediaView";
import { DevicePanel } from "./DevicePanel";
import { ClassroomTiles } from "./ClassroomTiles";
import { HandQueue } from "./HandQueue";
import { AttendancePanel } from "./AttendancePanel";

function describe(s: ClassSnapshot, key: string, classroomId?: string, participantId?: string): string | null {
  const k = eventKeys[key];
  if (!k) return null;
  const who = participantId ? (s.participants.find((p) => p.participantId === participantId)?.displayName ?? "") : "";
  const muted = classroomId ? s.muted.includes(classroomId) : false;
  if (key === "StageChanged" && !classroomId) return t("event.stageCleared");
  if (key === "MuteChanged") return t(muted ? "event.muted" : "event.unmuted", { name: classroomName(s, classroomId) });
  return t(k, { name: classroomId ? classroomName(s, classroomId) : who });
}

/** The lead teacher's console for one live class. */
export function ConsolePage({ classId }: { classId: string }) {
  const { live, fatal } = useLiveClass(() => new LiveClass(classId, session.token, leadSlots, describe), [classId]);
  const [error, setError] = useState<string | null>(null);
  const s = live?.snapshot;

  const status = !live || live.hub.status === "connecting" ? t("link.connecting") : live.hub.status === "reconnecting" ? t("link.reconnecting") : null;

  return (
    <>
      <TopBar>
        {s && (
          <span class={`badge state-${s.state}`} data-testid="class-state">
            {t(s.state === "live" ? "lesson.live" : s.state === "ended" ? "lesson.ended" : "lesson.ready")}
          </span>
        )}
      </TopBar>
      <main class="console">
        <h1 class="sr-only">{t("console.title")}</h1>
        <Notice text={fatal} />
        <Notice text={status} kind="info" testId="link-status" />
        {live && s && (
          <>
            <div class="console-bar">
              {s.state === "ready" && (
                <button type="button" class="primary big" onClick={async () => setError(await live.act("OpenClass"))}>
                  {t("console.open")}
                </button>
              )}
              {s.state === "live" && (
                <ConfirmButton class="danger big" testId="end-class" label={t("console.end")} question={t("console.endConfirm")}
                  confirmLabel={t("console.endYes")} onConfirm={async () => setError(await live.act("EndClass"))} />
              )}
              {s.state === "ended" && <p class="ended-note" role="status">{t("console.ended")}</p>}
              {live.mediaError && <Notice text={t("media.negotiateFailed", { reason: live.mediaError })} />}
              <Notice text={error} testId="action-error" />
            </div>
            <div class="console-grid">
              <aside class="console-left">
                <DevicePanel live={live} />
                <LiveRegion items={live.announcements} label={t("events.title")} />
              </aside>
              <section class="console-center" aria-labelledby="tiles-title">
                <h2 id="tiles-title">{t("tiles.title")}</h2>
                <ClassroomTiles live={live} rooms={classroomsOf(s, live.reconnects)} onError={setError} />
              </section>
              <aside class="console-right">
                <HandQueue live={live} rooms={classroomsOf(s, live.reconnects)} onError={setError} />
                <AttendancePanel live={live} rooms={classroomsOf(s, live.reconnects)} />
                <ChatPanel live={live} canModerate={s.you.role === "lead"} />
              </aside>
            </div>
            <AudioSink stream={live.media.streams.get("stage-audio")} />
          </>
        )}
      </main>
    </>
  );
}
