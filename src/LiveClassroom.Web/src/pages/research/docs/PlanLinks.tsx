import { useEffect, useState } from "preact/hooks";
import { t, formatDateTime } from "../../../i18n";
import { api } from "../../../api/session";
import { errorText } from "../../../api/client";
import { Notice } from "../../../components/Notice";
import { linkClick } from "../../../router";
import { getLessons, getMySessions, setPlanLinks, type PlanView, type SessionSummary } from "../../../api/researchDocs";

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The session where the plan was discussed and the lesson recording that followed it. */
export function PlanLinks({ view, onChanged }: { view: PlanView; onChanged: () => void }) {
  const { plan } = view;
  const sessions = useMySessions();
  const [sessionId, setSessionId] = useState(plan.sessionId ?? "");
  const [recordingId, setRecordingId] = useState(plan.recordingId ?? "");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const linked = sessions.find((s) => s.id === plan.sessionId);
  const watch = useWatchHref(linked ? linked.id : null, plan.recordingId);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    setDone(null);
    const rec = recordingId.trim();
    if (rec && !guid.test(rec)) {
      setError(t("researchDocs.plan.badRecording"));
      return document.getElementById("plan-link-recording")?.focus();
    }
    setBusy(true);
    try {
      await setPlanLinks(api, plan.id, { sessionId: sessionId || null, recordingId: rec || null });
      setDone(t("researchDocs.plan.linksSaved"));
      onChanged();
    } catch (x) {
      setError(errorText(x));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel" aria-labelledby="plan-links-title">
      <h2 id="plan-links-title">{t("researchDocs.plan.links")}</h2>
      <dl class="rdocs-facts">
        <div class="rdocs-fact">
          <dt>{t("researchDocs.plan.linkedSession")}</dt>
          <dd>
            {plan.sessionId ? (
              <a href={`/research/${encodeURIComponent(plan.sessionId)}`} onClick={linkClick} data-testid="plan-session-link">
                {linked ? linked.title : t("researchDocs.plan.openSession")}
              </a>
            ) : (
              "—"
            )}
          </dd>
        </div>
        <div class="rdocs-fact">
          <dt>{t("researchDocs.plan.linkedRecording")}</dt>
          <dd>
            {plan.recordingId && watch ? (
              <a href={watch} onClick={linkClick} data-testid="plan-recording-link">
                {t("researchDocs.plan.openRecording")}
              </a>
            ) : plan.recordingId ? (
              <code data-testid="plan-recording-id">{plan.recordingId}</code>
            ) : (
              "—"
            )}
          </dd>
        </div>
      </dl>
      <form class="row-form" onSubmit={submit} noValidate>
        <div class="field">
          <label for="plan-link-session">{t("researchDocs.plan.linkedSession")}</label>
          <select id="plan-link-session" value={sessionId} onChange={(e) => setSessionId(e.currentTarget.value)}>
            <option value="">{t("researchDocs.plan.noSession")}</option>
            {plan.sessionId && !linked && <option value={plan.sessionId}>{plan.sessionId}</option>}
            {sessions.map((s) => (
              <option key={s.id} value={s.id}>{sessionLabel(s)}</option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="plan-link-recording">{t("researchDocs.plan.recordingId")}</label>
          <input id="plan-link-recording" value={recordingId} spellcheck={false} onInput={(e) => setRecordingId(e.currentTarget.value)}
            aria-describedby="plan-link-recording-hint" />
          <p class="hint" id="plan-link-recording-hint">{t("researchDocs.plan.recordingHint")}</p>
        </div>
        <button type="submit" class="secondary" data-testid="btn-plan-links" disabled={busy}>{t("common.save")}</button>
      </form>
      <Notice text={error} />
      <Notice text={done} kind="info" />
    </section>
  );
}

export function sessionLabel(s: SessionSummary): string {
  return `${s.title}（${formatDateTime(s.scheduledStart)}）`;
}

/**
 * Recordings play through a session (the media endpoint is session-scoped): when the recording is a lesson of the
 * linked session, which the viewer belongs to, link to that lesson's watch page; otherwise there is nothing to link.
 */
function useWatchHref(sessionId: string | null, recordingId: string | null): string | null {
  const [href, setHref] = useState<string | null>(null);
  useEffect(() => {
    setHref(null);
    if (!sessionId || !recordingId) return;
    let live = true;
    getLessons(api, sessionId).then((lessons) => {
      const lesson = lessons.find((l) => l.recordingId === recordingId);
      if (live && lesson) setHref(`/research/${encodeURIComponent(sessionId)}/lessons/${encodeURIComponent(lesson.id)}/watch`);
    }, () => {});
    return () => {
      live = false;
    };
  }, [sessionId, recordingId]);
  return href;
}

/** The caller's research sessions; empty when they cannot be listed (the forms still work without them). */
export function useMySessions(): SessionSummary[] {
  const [list, setList] = useState<SessionSummary[]>([]);
  useEffect(() => {
    let live = true;
    getMySessions(api).then((l) => live && setList(l), () => {});
    return () => {
      live = false;
    };
  }, []);
  return list;
}
