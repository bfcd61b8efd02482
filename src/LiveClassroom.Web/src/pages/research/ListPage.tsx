import { useEffect, useState } from "preact/hooks";
import { formatDateTime, t } from "../../i18n";
import { adminRoles, hasRole, session as auth } from "../../api/session";
import { research, type ResearchSession } from "../../api/research";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { linkClick } from "../../router";
import { ScheduleForm } from "./ScheduleForm";
import { LessonPlansPanel } from "./docs/LessonPlansPanel";
import { failText, kindLabel, roleLabel, stageLabel, statusLabel } from "./util";

const day = 86400000;

/** My research sessions (30 days back to 60 ahead) and, for researchers and admins, the schedule form. */
export function ListPage() {
  const [sessions, setSessions] = useState<ResearchSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<ResearchSession | null>(null);
  const [showForm, setShowForm] = useState(false);
  const mayTry = hasRole(auth.person(), "researcher", ...adminRoles);

  async function load() {
    try {
      const now = Date.now();
      const list = await research.sessions(new Date(now - 30 * day), new Date(now + 60 * day));
      setSessions(list.sort((a, b) => a.scheduledStart.localeCompare(b.scheduledStart)));
      setError(null);
    } catch (e) {
      setSessions([]);
      setError(failText(e));
    }
  }
  useEffect(() => void load(), []);

  return (
    <>
      <TopBar />
      <main class="page research-page">
        <div class="page-head">
          <h1>{t("research.title")}</h1>
          {!mayTry && (
            <button type="button" class="secondary" aria-expanded={showForm} onClick={() => setShowForm(!showForm)}>
              {t("research.schedule")}
            </button>
          )}
        </div>
        <Notice text={error} testId="error-banner" />
        {created && (
          <p class="notice info" role="status" data-testid="schedule-done">
            {t("research.scheduled", { title: created.title })}{" "}
            <a href={`/research/${created.id}`} onClick={linkClick}>{t("research.enter")}</a>
          </p>
        )}
        {sessions === null && <p aria-busy="true">{t("common.loading")}</p>}
        <table class="data research-list panel" data-testid="research-list" aria-label={t("research.title")} hidden={!sessions}>
          <thead>
            <tr>
              <th scope="col">{t("research.field.scheduledStart")}</th>
              <th scope="col">{t("research.field.title")}</th>
              <th scope="col">{t("research.field.kind")}</th>
              <th scope="col">{t("research.field.subject")}</th>
              <th scope="col">{t("research.myRole")}</th>
              <th scope="col">{t("research.statusCol")}</th>
            </tr>
          </thead>
          <tbody>
            {sessions?.length === 0 && (
              <tr>
                <td colSpan={6} class="empty">{t("research.none")}</td>
              </tr>
            )}
            {sessions?.map((s) => (
              <tr key={s.id} data-testid="research-row" data-session-id={s.id}>
                <td>{formatDateTime(s.scheduledStart)}</td>
                <td>
                  <a href={`/research/${s.id}`} onClick={linkClick}>{s.title}</a>
                  {s.chapter && <span class="muted"> · {s.chapter}</span>}
                </td>
                <td>{kindLabel(s.kind)}</td>
                <td>{[s.subject, stageLabel(s.stage), s.grade].filter(Boolean).join(" · ")}</td>
                <td>{roleLabel(s.myRole)}</td>
                <td><span class={`badge status-${s.status}`}>{statusLabel(s.status)}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
        {(mayTry || showForm) && (
          <ScheduleForm
            onCreated={(s) => {
              setCreated(s);
              void load();
            }}
          />
        )}
        <LessonPlansPanel />
      </main>
    </>
  );
}
