import { useEffect, useState } from "preact/hooks";
import { formatTime, t } from "../i18n";
import { api } from "../api/session";
import { errorText } from "../api/client";
import { isEnded, isLive, lessonsOn, localDate, openLesson } from "../api/lessons";
import type { Lesson } from "../api/types";
import { TopBar } from "../components/TopBar";
import { Notice } from "../components/Notice";
import { navigate } from "../router";

export function TimetablePage() {
  const [date, setDate] = useState(localDate());
  const [lessons, setLessons] = useState<Lesson[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);

  async function load() {
    setError(null);
    try {
      setLessons(await lessonsOn(api, date));
    } catch (e) {
      setLessons([]);
      setError(errorText(e));
    }
  }

  useEffect(() => {
    void load();
    // Another device may open the class; keep the status fresh without a reload.
    const timer = setInterval(() => void load(), 15000);
    return () => clearInterval(timer);
  }, [date]);

  async function enter(l: Lesson) {
    setBusyId(l.id);
    setError(null);
    try {
      // A lesson already set up (Scheduled/Live) is joined; otherwise opening it creates the live class.
      const classId = l.classId && !isEnded(l) ? l.classId : await openLesson(api, l);
      navigate(`/console/${encodeURIComponent(classId)}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusyId(null);
    }
  }

  return (
    <>
      <TopBar />
      <main class="page">
        <div class="page-head">
          <h1>{t("timetable.title")}</h1>
          <label class="inline">
            {t("timetable.date")}
            <input type="date" value={date} onChange={(e) => setDate(e.currentTarget.value || localDate())} />
          </label>
        </div>
        <Notice text={error} />
        {lessons === null && <p aria-busy="true">{t("common.loading")}</p>}
        {lessons?.length === 0 && !error && <p class="empty">{t("timetable.none")}</p>}
        {lessons && lessons.length > 0 && (
          <ul class="lesson-list" aria-label={t("timetable.title")}>
            {lessons.map((l) => (
              <li key={l.id} class={`lesson card${isLive(l) ? " live" : ""}`} data-testid="lesson">
                <div class="lesson-time">
                  {formatTime(l.startsAt)}–{formatTime(l.endsAt)}
                </div>
                <div class="lesson-main">
                  <strong>{l.subject || t("timetable.untitled")}</strong>
                  <span class="muted">{[l.pairingName, l.title].filter(Boolean).join(" · ")}</span>
                </div>
                <span class={`badge ${isLive(l) ? "live" : isEnded(l) ? "ended" : ""}`}>
                  {isLive(l) ? t("lesson.live") : isEnded(l) ? t("lesson.ended") : t("lesson.scheduled")}
                </span>
                {l.role === "Lead" && !isEnded(l) && (
                  <button type="button" class="primary" disabled={busyId === l.id} onClick={() => void enter(l)}>
                    {l.classId ? t("timetable.join") : t("timetable.open")}
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}
