import { useEffect, useState } from "preact/hooks";
import { formatDateTime, t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import type { AllianceApplication, AllianceDetail } from "../../api/alliances";
import { linkClick } from "../../router";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { stageLabel } from "./labels";
import { allianceRoleLabel, allianceStatusLabel, levelLabel } from "./allianceLabels";
import { AllianceFiguresTable } from "./AllianceFiguresTable";
import { AllianceMembers } from "./AllianceMembers";
import { AlliancePairings } from "./AlliancePairings";
import { useLatest } from "../../components/latest";

/** An alliance's page: plan, members by role, this year's figures, sessions with their reports, pairings, lessons broadcast, resources, assessments; joining and, for the chief, applications. */
export function AlliancePage({ id }: { id: string }) {
  const [d, setD] = useState<AllianceDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [note, setNote] = useState("");

  const latest = useLatest();

  async function load() {
    const mine = latest();
    try {
      const detail = await api.get<AllianceDetail>(`/api/alliances/${id}`);
      if (!mine()) return;
      setD(detail);
    } catch (e) {
      if (!mine()) return;
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), [id]);

  /** Runs an action, then shows `done` and reloads; true when it succeeded. */
  async function act(fn: () => Promise<unknown>, done: string): Promise<boolean> {
    try {
      await fn();
      setError(null);
      setInfo(done);
      await load();
      return true;
    } catch (e) {
      setInfo(null);
      setError(errorText(e));
      return false;
    }
  }

  if (!d) {
    return (
      <>
        <TopBar />
        <main class="page">
          <Notice text={error} />
          {!error && <p>{t("common.loading")}</p>}
        </main>
      </>
    );
  }
  const a = d.alliance;
  const mine = d.applications.find((x) => x.status === "pending" && !a.canManage);
  return (
    <>
      <TopBar />
      <main class="page">
        <h1>{a.name}</h1>
        <p data-testid="alliance-status">
          {levelLabel(a.organisationKind)} · {a.organisationName} · {a.subject} · {stageLabel(a.stage)} · <strong>{allianceStatusLabel(a.status)}</strong>
          {a.statusReason ? `（${a.statusReason}）` : ""}
          {a.myRole ? ` · ${t("alliance.myRole")}：${allianceRoleLabel(a.myRole)}` : ""}
        </p>
        <Notice text={error} />
        <Notice kind="info" text={info} testId="alliance-info" />
        {d.canJoin && (
          <form
            class="toolbar"
            onSubmit={(e) => {
              e.preventDefault();
              void act(() => api.post(`/api/alliances/${id}/applications`, { note: note.trim() || null }), t("alliance.joinSent"));
            }}
          >
            <label for="al-join-note">{t("alliance.joinNote")}</label>
            <input id="al-join-note" value={note} onInput={(e) => setNote(e.currentTarget.value)} />
            <button type="submit" class="primary">
              {t("alliance.join")}
            </button>
          </form>
        )}
        {mine && <p class="muted">{t("alliance.joinPending")}</p>}

        <section aria-labelledby="al-plan-h">
          <h2 id="al-plan-h">{t("alliance.plan")}</h2>
          <p style={{ whiteSpace: "pre-wrap" }}>{d.plan}</p>
        </section>

        <AllianceMembers detail={d} act={act} />

        {a.canManage && (
          <section aria-labelledby="al-apps-h">
            <h2 id="al-apps-h">{t("alliance.applications")}</h2>
            <Applications items={d.applications} allianceId={id} act={act} />
          </section>
        )}

        <section aria-labelledby="al-figures-h">
          <h2 id="al-figures-h">{t("alliance.figures")}</h2>
          <AllianceFiguresTable figures={d.figures} testId="alliance-figures" />
        </section>

        <section aria-labelledby="al-sessions-h">
          <h2 id="al-sessions-h">{t("alliance.sessions")}</h2>
          {d.canSchedule && <ScheduleForm allianceId={id} act={act} />}
          <ul data-testid="alliance-sessions">
            {d.sessions.map((s) => (
              <li key={s.id}>
                <a href={`/research/${s.id}`} onClick={linkClick}>
                  {s.title}
                </a>{" "}
                <span class="muted">
                  {formatDateTime(s.scheduledStart)} · {t(`alliance.sessionStatus.${s.status}` as MessageKey)}
                </span>
                {s.lessons.map((l) => (
                  <span key={l.id}>
                    {" "}
                    ·{" "}
                    <a href={`/research/${s.id}/lessons/${l.id}/report`} onClick={linkClick}>
                      {t("alliance.report", { title: l.title })}
                    </a>
                  </span>
                ))}
              </li>
            ))}
            {d.sessions.length === 0 && <li class="muted">{t("alliance.noSessions")}</li>}
          </ul>
        </section>

        <AlliancePairings detail={d} allianceId={id} act={act} reload={load} />

        <section aria-labelledby="al-broadcasts-h">
          <h2 id="al-broadcasts-h">{t("alliance.broadcasts")}</h2>
          <ul data-testid="alliance-broadcasts">
            {d.broadcasts.map((b) => (
              <li key={b.classId}>
                {b.title} <span class="muted">{b.leadTeacherName} · {formatDateTime(b.endedAt)}</span>
              </li>
            ))}
            {d.broadcasts.length === 0 && <li class="muted">{t("alliance.noBroadcasts")}</li>}
          </ul>
        </section>

        <section aria-labelledby="al-res-h">
          <h2 id="al-res-h">{t("alliance.resources")}</h2>
          <ul>
            {d.resources.map((r) => (
              <li key={r.id}>
                <a href={`/library/${r.id}`} onClick={linkClick}>
                  {r.title}
                </a>{" "}
                <span class="muted">{r.teacherName}</span>
              </li>
            ))}
            {d.resources.length === 0 && <li class="muted">{t("alliance.noResources")}</li>}
          </ul>
        </section>

        <section aria-labelledby="al-assess-h">
          <h2 id="al-assess-h">{t("alliance.assessments")}</h2>
          <table class="data" data-testid="alliance-assessments">
            <thead>
              <tr>
                <th scope="col">{t("alliance.year")}</th>
                <th scope="col">{t("alliance.score")}</th>
                <th scope="col">{t("alliance.decision")}</th>
                <th scope="col">{t("alliance.comment")}</th>
              </tr>
            </thead>
            <tbody>
              {d.assessments.map((x) => (
                <tr key={x.id}>
                  <td>{x.year}</td>
                  <td>{x.score}</td>
                  <td>
                    {t(`alliance.decision.${x.decision}` as MessageKey)}
                    {x.toOrganisationName ? ` → ${x.toOrganisationName}` : ""}
                  </td>
                  <td>
                    {x.comment}（{x.assessedByName}）
                  </td>
                </tr>
              ))}
              {d.assessments.length === 0 && (
                <tr>
                  <td colSpan={4} class="muted">
                    {t("alliance.noAssessments")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        </section>
      </main>
    </>
  );
}

type Act = (fn: () => Promise<unknown>, done: string) => Promise<boolean>;

/** 入盟申请 for the chief (and the level's admin): accept, or reject with a reason. */
function Applications({ items, allianceId, act }: { items: AllianceApplication[]; allianceId: string; act: Act }) {
  const [reasons, setReasons] = useState<Record<string, string>>({});
  if (items.length === 0) return <p class="muted">{t("alliance.noApplications")}</p>;
  return (
    <table class="data" data-testid="alliance-applications">
      <thead>
        <tr>
          <th scope="col">{t("alliance.applicant")}</th>
          <th scope="col">{t("alliance.joinNote")}</th>
          <th scope="col">{t("common.actions")}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((x) => (
          <tr key={x.id}>
            <th scope="row">
              {x.name}
              {x.schoolName ? `（${x.schoolName}）` : ""}
            </th>
            <td>{x.note}</td>
            <td class="actions">
              <button
                type="button"
                class="small primary"
                onClick={() => void act(() => api.post(`/api/alliances/${allianceId}/applications/${x.id}/accept`), t("alliance.accepted", { name: x.name }))}
              >
                {t("alliance.accept")}
              </button>{" "}
              <input
                aria-label={t("alliance.rejectReason")}
                value={reasons[x.id] ?? ""}
                onInput={(e) => setReasons({ ...reasons, [x.id]: e.currentTarget.value })}
              />
              <button
                type="button"
                class="small secondary"
                onClick={() =>
                  void act(
                    () => api.post(`/api/alliances/${allianceId}/applications/${x.id}/reject`, { reason: (reasons[x.id] ?? "").trim() }),
                    t("alliance.rejected", { name: x.name }),
                  )
                }
              >
                {t("alliance.reject")}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The chief's (or an expert's, or the level admin's) form to schedule a research session with every member invited. */
function ScheduleForm({ allianceId, act }: { allianceId: string; act: Act }) {
  const [title, setTitle] = useState("");
  const [start, setStart] = useState("");
  const [minutes, setMinutes] = useState("90");
  return (
    <form
      class="toolbar"
      data-testid="alliance-schedule"
      onSubmit={(e) => {
        e.preventDefault();
        void act(
          () =>
            api.post(`/api/alliances/${allianceId}/sessions`, {
              title: title.trim(),
              scheduledStart: start ? new Date(start).toISOString() : null,
              durationMinutes: Number(minutes),
            }),
          t("alliance.scheduled"),
        );
      }}
    >
      <label for="al-s-title">{t("alliance.sessionTitle")}</label>
      <input id="al-s-title" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
      <label for="al-s-start">{t("alliance.sessionStart")}</label>
      <input id="al-s-start" type="datetime-local" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
      <label for="al-s-minutes">{t("alliance.sessionMinutes")}</label>
      <input id="al-s-minutes" type="number" min={15} max={480} value={minutes} onInput={(e) => setMinutes(e.currentTarget.value)} />
      <button type="submit" class="secondary">
        {t("alliance.schedule")}
      </button>
    </form>
  );
}
