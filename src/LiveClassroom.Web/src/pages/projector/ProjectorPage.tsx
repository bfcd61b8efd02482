import { useEffect, useState } from "preact/hooks";
import { formatTime, t } from "../../i18n";
import { deviceApi, session } from "../../api/session";
import { ApiError } from "../../api/client";
import { isEnded, isLive, lessonsOn, localDate } from "../../api/lessons";
import type { Device, Lesson } from "../../api/types";
import { NetworkCheck } from "./NetworkCheck";
import { PairingScreen } from "./PairingScreen";
import { ProjectorClass } from "./ProjectorClass";
import { LangSwitch } from "../../components/LangSwitch";
import { ClassroomWatch } from "../../hub/ClassroomWatch";
import { placeLabel } from "../../live/classrooms";

/** Timetable poll while the hub's ClassOpened push is the fast path. */
const FallbackPollMs = 30_000;
const OfflinePollMs = 5_000;

/**
 * The rural classroom's projector PC. Nobody touches it: it pairs once, then joins whatever class is
 * live for its classroom, shows the end screen when it ends, and waits for the next one.
 */
export function ProjectorPage() {
  const [token, setToken] = useState(session.deviceToken());
  if (!token)
    return (
      <PairingScreen
        onPaired={(tok) => {
          session.setDeviceToken(tok);
          setToken(tok);
        }}
      />
    );
  return (
    <ProjectorHome
      onRevoked={() => {
        session.setDeviceToken(null);
        setToken(null);
      }}
    />
  );
}

function ProjectorHome({ onRevoked }: { onRevoked: () => void }) {
  const [device, setDevice] = useState<Device | null>(null);
  const [lessons, setLessons] = useState<Lesson[] | null>(null);
  const [offline, setOffline] = useState(false);
  const [ended, setEnded] = useState<string[]>([]);
  const [now, setNow] = useState(Date.now());
  // The class a ClassOpened push named: joined at once, without waiting for the timetable to list it as live.
  const [pushed, setPushed] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    let known = false;
    let busy = false;
    let again = false;
    // One poll at a time; a push arriving mid-poll polls once more right after it.
    const poll = async () => {
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      clearTimeout(timer);
      let failed = false;
      try {
        if (!known) {
          setDevice(await deviceApi.get<Device>("/api/devices/me"));
          known = true;
        }
        const ls = await lessonsOn(deviceApi, localDate());
        if (stopped) return;
        setLessons(ls);
        setOffline(false);
      } catch (e) {
        if (stopped) return;
        if (e instanceof ApiError && e.status === 401) return onRevoked();
        failed = true;
        setOffline(!(e instanceof ApiError) || e.status === 0 || e.status >= 500);
      } finally {
        busy = false;
      }
      setNow(Date.now());
      if (again) {
        again = false;
        return void poll();
      }
      // The hub pushes ClassOpened; this slow poll is the fallback (push lost, class opened on another node).
      // Offline, the page retries sooner so the banner clears as soon as the network is back.
      timer = window.setTimeout(poll, failed ? OfflinePollMs : FallbackPollMs);
    };
    const watch = new ClassroomWatch(session.deviceToken, (classId) => {
      if (classId) setPushed(classId);
      void poll();
    });
    watch.start();
    void poll();
    // The browser knows about a lost or returned network before any request fails: check at once.
    const now = () => void poll();
    window.addEventListener("online", now);
    window.addEventListener("offline", now);
    return () => {
      stopped = true;
      clearTimeout(timer);
      watch.stop();
      window.removeEventListener("online", now);
      window.removeEventListener("offline", now);
    };
  }, []);

  const live = lessons?.find((l) => isLive(l) && !ended.includes(l.classId!));
  const liveId = live?.classId ?? (pushed && !ended.includes(pushed) ? pushed : null);
  if (liveId)
    return (
      <ProjectorClass key={liveId} classId={liveId} lesson={live ?? lessons?.find((l) => l.classId === liveId)} device={device}
        onEnded={() => setEnded((e) => [...e, liveId])} />
    );

  // The end screen stays until the next lesson starts or half an hour after the ended one was due to finish.
  const justEnded = lessons?.some(
    (l) => (ended.includes(l.classId ?? "") || isEnded(l)) && Date.parse(l.endsAt) + 30 * 60000 > now && Date.parse(l.startsAt) <= now,
  );
  const next = lessons?.find((l) => !isLive(l) && !isEnded(l) && Date.parse(l.endsAt) > now);
  return (
    <main class="projector waiting">
      <div class="projector-lang">
        <LangSwitch />
      </div>
      {device && <p class="projector-room">{placeLabel(device.schoolName, device.classroomName)}</p>}
      {justEnded ? (
        <h1 class="huge" data-testid="end-screen">{t("projector.ended")}</h1>
      ) : (
        <h1 class="huge" data-testid="waiting">{t("projector.waiting")}</h1>
      )}
      <p class="big-text" data-testid="next-lesson">
        {lessons === null
          ? t("common.loading")
          : next
            ? t("projector.next", { time: formatTime(next.startsAt), title: next.title || next.subject || "" })
            : t("projector.noMore")}
      </p>
      {offline && (
        <p class="reconnect-banner" role="alert">
          {t("link.reconnectingBig")}
        </p>
      )}
      {!offline && <NetworkCheck />}
    </main>
  );
}
