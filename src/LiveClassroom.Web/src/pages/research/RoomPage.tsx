import { useEffect, useState } from "preact/hooks";
import { formatDateTime, t } from "../../i18n";
import { session as auth } from "../../api/session";
import { research, type ResearchLesson, type ResearchSession } from "../../api/research";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { LiveRegion } from "../../components/LiveRegion";
import { linkClick } from "../../router";
import { useResearchLive } from "./ResearchLive";
import { AgendaPanel } from "./AgendaPanel";
import { FloorPanel } from "./FloorPanel";
import { PeoplePanel } from "./PeoplePanel";
import { MediaStage } from "./MediaStage";
import { PlaybackPanel } from "./PlaybackPanel";
import { ScoreSheet } from "./ScoreSheet";
import { CommentsPanel } from "./CommentsPanel";
import { LessonForm } from "./LessonForm";
import { DevicePanel } from "../console/DevicePanel";
import { failText, kindLabel, roleLabel, stageLabel } from "./util";

/** The live teaching-research room: agenda, floor, meeting media, shared playback, scoring and comments. */
export function RoomPage({ sessionId }: { sessionId: string }) {
  const [info, setInfo] = useState<ResearchSession | null>(null);
  const [lessons, setLessons] = useState<ResearchLesson[]>([]);
  const [lessonId, setLessonId] = useState("");
  const [error, setError] = useState<string | null>(null);
  const { live, fatal } = useResearchLive(sessionId, auth.token);
  const s = live?.snapshot ?? null;

  function reloadLessons() {
    research.lessons(sessionId).then(setLessons, (e) => setError(failText(e)));
  }

  useEffect(() => {
    let cancelled = false;
    setInfo(null);
    Promise.all([research.session(sessionId), research.lessons(sessionId)]).then(
      ([sess, ls]) => {
        if (cancelled) return;
        setInfo(sess);
        setLessons(ls);
        setLessonId((cur) => cur || ls[0]?.id || "");
      },
      (e) => !cancelled && setError(failText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId]);

  // When the host shares a lesson's recording, score and comment that lesson.
  const sharedRecording = s?.playback?.recordingId;
  useEffect(() => {
    if (!sharedRecording || !info) return;
    const l = lessons.find((x) => x.recordingId === sharedRecording);
    if (l) setLessonId(l.id);
    // A recording attached after this page loaded: fetch the lessons again (once per shared recording).
    else reloadLessons();
  }, [sharedRecording, lessons.length, !!info]);

  async function act(method: string, ...args: unknown[]): Promise<boolean> {
    if (!live) return false;
    try {
      await live.hub.act(method, ...args);
      setError(null);
      return true;
    } catch (e) {
      setError(failText(e));
      return false;
    }
  }
  const fire = (method: string, ...args: unknown[]) => void act(method, ...args);

  const role = live?.hub.myRole ?? info?.myRole ?? null;
  const closed = s?.status === "ended" || fatal?.code === "session_ended" || info?.status === "ended" || info?.status === "cancelled";
  const lesson = lessons.find((l) => l.id === lessonId) ?? null;
  const link = fatal ? null : !live || live.hub.status === "connecting" ? t("research.connecting") : live.hub.status === "reconnecting" ? t("link.reconnecting") : null;

  return (
    <>
      <TopBar>
        {role && (
          <span class={`badge role-${role}`} data-testid="my-role" data-role={role}>
            {roleLabel(role)}
          </span>
        )}
      </TopBar>
      <main class="research-room">
        <div class="room-head">
          <h1>{info?.title ?? t("research.room")}</h1>
          {info && (
            <p class="muted">
              {[kindLabel(info.kind), info.subject, stageLabel(info.stage), info.grade, info.chapter, formatDateTime(info.scheduledStart)].filter(Boolean).join(" · ")}
            </p>
          )}
          <p class="back"><a href="/research" onClick={linkClick}>{t("research.backToList")}</a></p>
        </div>
        {/* An ended session refuses joining: its record (agenda, scores, comments, reports) is still shown. */}
        <Notice text={error ?? (fatal && fatal.code !== "session_ended" ? fatal.localized : null)} testId="error-banner" />
        <Notice text={fatal?.code === "session_ended" ? t("research.endedNote") : link} kind="info" testId="link-status" />
        {info && live && (
          <div class="room-grid">
            <aside class="room-left">
              <AgendaPanel session={info} live={live} act={fire} />
              {s && <FloorPanel live={live} act={fire} />}
              {s && <PeoplePanel live={live} />}
              {live.publishes && !closed && (
                <details class="panel device-details">
                  <summary>{t("devices.title")}</summary>
                  <DevicePanel live={live} screenShare={false} />
                </details>
              )}
              <LiveRegion items={live.announcements} label={t("research.events")} />
            </aside>
            <section class="room-center" aria-label={t("research.stage")}>
              {s && <MediaStage live={live} />}
              {s && <PlaybackPanel live={live} sessionId={sessionId} lessons={lessons} act={act} onError={setError} />}
            </section>
            <aside class="room-right panel" aria-labelledby="lessons-title">
              <h2 id="lessons-title">{t("research.lessons")}</h2>
              {lessons.length === 0 ? (
                <p class="muted">{t("research.noLessons")}</p>
              ) : (
                <>
                  <div class="field">
                    <label for="lesson-select">{t("research.lesson")}</label>
                    <select id="lesson-select" data-testid="lesson-select" value={lessonId} onChange={(e) => setLessonId(e.currentTarget.value)}>
                      {lessons.map((l) => (
                        <option key={l.id} value={l.id}>{l.title}{l.teacherName ? ` · ${l.teacherName}` : ""}</option>
                      ))}
                    </select>
                  </div>
                  <ul class="plain lesson-links">
                    {lessons.map((l) => (
                      <li key={l.id}>
                        <span>{l.title}</span>
                        <a href={`/research/${encodeURIComponent(sessionId)}/lessons/${encodeURIComponent(l.id)}/report`} onClick={linkClick}
                          data-testid="report-link" aria-label={t("research.reportFor", { title: l.title })}>
                          {t("research.report")}
                        </a>
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {(live.hub.canOrganise || info.canOrganise) && !closed && (
                <LessonForm sessionId={sessionId} onAdded={(l) => (setLessons((ls) => [...ls, l]), setLessonId(l.id))} />
              )}
              {lesson && <ScoreSheet sessionId={sessionId} lesson={lesson} rubric={info.rubric} onError={setError} readOnly={closed} />}
              {lesson && <CommentsPanel sessionId={sessionId} lesson={lesson} rubric={info.rubric} live={live} onError={setError} readOnly={closed} />}
            </aside>
          </div>
        )}
      </main>
    </>
  );
}
