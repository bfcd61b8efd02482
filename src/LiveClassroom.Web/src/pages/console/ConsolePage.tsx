import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { session } from "../../api/session";
import { LiveClass, leadSlots, useLiveClass } from "../../live/LiveClass";
import { classroomsOf } from "../../live/classrooms";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { ConfirmButton } from "../../components/ConfirmButton";
import { LiveRegion } from "../../components/LiveRegion";
import { ChatPanel } from "../../components/ChatPanel";
import { AudioSink } from "../../components/MediaView";
import { MediaTakenOver } from "../../components/MediaTakenOver";
import { DevicePanel } from "./DevicePanel";
import { ClassroomTiles } from "./ClassroomTiles";
import { HandQueue } from "./HandQueue";
import { AttendancePanel } from "./AttendancePanel";
import { RecordingBadge } from "./RecordingBadge";

const stateKey = { Scheduled: "lesson.ready", Live: "lesson.live", Ended: "lesson.ended" } as const;

/** The lead teacher's console for one live class. */
export function ConsolePage({ classId }: { classId: string }) {
  const { live, fatal } = useLiveClass(() => new LiveClass(classId, session.token, leadSlots, "lead"), [classId]);
  const [error, setError] = useState<string | null>(null);
  const s = live?.snapshot;
  const rooms = s ? classroomsOf(s) : [];
  const isLead = live?.you?.role === "Lead";
  const status = fatal ? null : !live || live.hub.status === "connecting" ? t("link.connecting") : live.hub.status === "reconnecting" ? t("link.reconnecting") : null;

  return (
    <>
      <TopBar>
        {s && (
          <span class={`badge state-${s.state}`} data-testid="class-state">
            {t(stateKey[s.state] ?? "lesson.ready")}
          </span>
        )}
        {s && <RecordingBadge classId={classId} live={s.state === "Live"} />}
      </TopBar>
      <main class="console">
        <h1 class="console-title">{s?.title || t("console.title")}</h1>
        <Notice text={fatal} testId="fatal-error" />
        <Notice text={status} kind="info" testId="link-status" />
        {live && s && (
          <>
            <div class="console-bar">
              {isLead && s.state === "Scheduled" && (
                <button type="button" class="primary big" data-testid="open-class" onClick={async () => setError(await live.act("OpenClass"))}>
                  {t("console.open")}
                </button>
              )}
              {isLead && s.state === "Live" && (
                <ConfirmButton class="danger big" testId="end-class" label={t("console.end")} question={t("console.endConfirm")}
                  confirmLabel={t("console.endYes")} onConfirm={async () => setError(await live.act("EndClass"))} />
              )}
              {s.state === "Ended" && <p class="ended-note" role="status" data-testid="console-ended">{t("console.ended")}</p>}
              {live.mediaError && s.state === "Live" && <Notice text={t("media.negotiateFailed", { reason: live.mediaError })} testId="media-error" />}
              {s.state === "Live" && <MediaTakenOver live={live} />}
              <Notice text={error} testId="action-error" />
            </div>
            <div class="console-grid">
              <aside class="console-left">
                {live.publishes && <DevicePanel live={live} />}
                <LiveRegion items={live.announcements} label={t("events.title")} />
              </aside>
              <section class="console-center" aria-labelledby="tiles-title">
                <h2 id="tiles-title">{t("tiles.title")}</h2>
                <ClassroomTiles live={live} rooms={rooms} onError={setError} />
              </section>
              <aside class="console-right">
                <HandQueue live={live} rooms={rooms} onError={setError} />
                {live.you?.seesAttendance && <AttendancePanel rooms={rooms} />}
                <ChatPanel live={live} canModerate={isLead} />
              </aside>
            </div>
            {[1, 2, 3, 4].map((n) => (
              <AudioSink key={n} stream={live.media.streams.get(`stage${n}-audio`)} />
            ))}
          </>
        )}
      </main>
    </>
  );
}
