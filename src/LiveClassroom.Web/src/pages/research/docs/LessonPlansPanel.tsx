import { useEffect, useState } from "preact/hooks";
import { t, formatDateTime } from "../../../i18n";
import { adminRoles, api, hasRole, session } from "../../../api/session";
import { errorText } from "../../../api/client";
import { unwrap } from "../../../api/lessons";
import type { Person } from "../../../api/types";
import { Field, inputProps } from "../../../components/Field";
import { Notice } from "../../../components/Notice";
import { fieldErrors, required } from "../../../components/validation";
import { linkClick, navigate } from "../../../router";
import { createPlan, type CreatePlanRequest, type Stage } from "../../../api/researchDocs";
import { sessionLabel, useMySessions } from "./PlanLinks";
import { recentPlans } from "./recentPlans";
import "./researchDocs.css";

type Errors = Record<string, string | null | undefined>;
const stages: Stage[] = ["primary", "junior", "senior"];
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * 集体备课 on the research list: the plans this browser has opened (the API has no list) and a form that creates a
 * plan with its four fixes and group, then opens it. `sessionId` preselects the discussing session.
 */
export function LessonPlansPanel({ sessionId }: { sessionId?: string } = {}) {
  const [creating, setCreating] = useState(false);
  const recent = recentPlans();
  return (
    <section class="panel" aria-labelledby="plans-title" data-testid="lesson-plans-panel">
      <div class="page-head">
        <h2 id="plans-title">{t("researchDocs.plans.title")}</h2>
        <button type="button" class={creating ? "secondary" : "primary"} aria-expanded={creating} data-testid="btn-new-plan" onClick={() => setCreating(!creating)}>
          {creating ? t("common.cancel") : t("researchDocs.plans.new")}
        </button>
      </div>
      {recent.length > 0 ? (
        <ul class="plain" data-testid="recent-plans">
          {recent.map((p) => (
            <li key={p.id}>
              <a href={`/lesson-plans/${encodeURIComponent(p.id)}`} onClick={linkClick}>{p.chapter}</a>
              <span class="muted">{p.subject} · {t("researchDocs.plans.opened", { time: formatDateTime(p.openedAt) })}</span>
            </li>
          ))}
        </ul>
      ) : (
        !creating && <p class="muted">{t("researchDocs.plans.none")}</p>
      )}
      {creating && <CreatePlanForm sessionId={sessionId} />}
    </section>
  );
}

function usePeople(enabled: boolean): Person[] {
  const [people, setPeople] = useState<Person[]>([]);
  useEffect(() => {
    if (!enabled) return;
    api.get<unknown>("/api/people?pageSize=200").then((b) => setPeople(unwrap<Person>(b, "people").filter((p) => p.isActive !== false)), () => setPeople([]));
  }, [enabled]);
  return people;
}

function CreatePlanForm({ sessionId }: { sessionId?: string }) {
  const me = session.person();
  // Only administrators may list people; everybody else names the group by id (or prepares alone and adds nobody).
  const people = usePeople(hasRole(me, ...adminRoles));
  const sessions = useMySessions();
  const [v, setV] = useState({ subject: "", stage: "primary", grade: "", chapter: "", mainPreparerId: me?.id ?? "", prepareAt: "", place: "", sessionId: sessionId ?? "", body: "" });
  const [members, setMembers] = useState<string[]>([]);
  const [memberIds, setMemberIds] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });

  async function submit(e: Event) {
    e.preventDefault();
    setFailure(null);
    const typedIds = memberIds.split(/[\s,，、]+/).filter(Boolean);
    const local: Errors = {
      subject: required(v.subject),
      chapter: required(v.chapter),
      memberIds: typedIds.every((id) => guid.test(id)) ? null : t("researchDocs.plans.badIds"),
    };
    setErrors(local);
    const firstBad = Object.entries(local).find(([, m]) => m)?.[0];
    if (firstBad) return document.getElementById(`plan-${firstBad}`)?.focus();
    const req: CreatePlanRequest = {
      subject: v.subject.trim(),
      stage: v.stage as Stage,
      grade: v.grade.trim() || undefined,
      chapter: v.chapter.trim(),
      mainPreparerId: v.mainPreparerId || undefined,
      prepareAt: v.prepareAt ? new Date(v.prepareAt).toISOString() : undefined,
      place: v.place.trim() || undefined,
      sessionId: v.sessionId || undefined,
      memberIds: [...new Set([...members, ...typedIds])],
      body: v.body,
    };
    setBusy(true);
    try {
      const created = await createPlan(api, req);
      navigate(`/lesson-plans/${encodeURIComponent(created.plan.id)}`);
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="form-grid rdocs-plan-form" noValidate onSubmit={submit} aria-label={t("researchDocs.plans.new")} data-testid="plan-create-form">
      <p class="hint">{t("researchDocs.plans.fourFixes")}</p>
      <Field id="plan-subject" label={t("researchDocs.subject")} error={errors.subject}>
        <input {...inputProps("plan-subject", errors.subject)} value={v.subject} onInput={set("subject")} maxLength={50} />
      </Field>
      <Field id="plan-stage" label={t("researchDocs.stage")}>
        <select id="plan-stage" value={v.stage} onChange={set("stage")}>
          {stages.map((s) => <option key={s} value={s}>{t(`researchDocs.stage.${s}`)}</option>)}
        </select>
      </Field>
      <Field id="plan-grade" label={t("researchDocs.grade")} error={errors.grade}>
        <input {...inputProps("plan-grade", errors.grade)} value={v.grade} onInput={set("grade")} maxLength={50} />
      </Field>
      <Field id="plan-chapter" label={t("researchDocs.plan.content")} error={errors.chapter}>
        <input {...inputProps("plan-chapter", errors.chapter)} value={v.chapter} onInput={set("chapter")} maxLength={200} />
      </Field>
      <Field id="plan-mainPreparerId" label={t("researchDocs.plan.mainPreparer")} error={errors.mainPreparerId}>
        <select {...inputProps("plan-mainPreparerId", errors.mainPreparerId)} value={v.mainPreparerId} onChange={set("mainPreparerId")}>
          {me && <option value={me.id}>{t("researchDocs.plans.me", { name: me.displayName })}</option>}
          {people.filter((p) => p.id !== me?.id).map((p) => (
            <option key={p.id} value={p.id}>{p.displayName}{p.organisationName ? `（${p.organisationName}）` : ""}</option>
          ))}
        </select>
      </Field>
      <Field id="plan-prepareAt" label={t("researchDocs.plan.time")} error={errors.prepareAt}>
        <input type="datetime-local" {...inputProps("plan-prepareAt", errors.prepareAt)} value={v.prepareAt} onInput={set("prepareAt")} />
      </Field>
      <Field id="plan-place" label={t("researchDocs.plan.place")} error={errors.place}>
        <input {...inputProps("plan-place", errors.place)} value={v.place} onInput={set("place")} maxLength={200} />
      </Field>
      <Field id="plan-sessionId" label={t("researchDocs.plan.linkedSession")} error={errors.sessionId}>
        <select {...inputProps("plan-sessionId", errors.sessionId)} value={v.sessionId} onChange={set("sessionId")}>
          <option value="">{t("researchDocs.plan.noSession")}</option>
          {sessionId && !sessions.some((s) => s.id === sessionId) && <option value={sessionId}>{sessionId}</option>}
          {sessions.map((s) => <option key={s.id} value={s.id}>{sessionLabel(s)}</option>)}
        </select>
      </Field>
      {people.length > 0 && (
        <fieldset>
          <legend>{t("researchDocs.plan.members")}</legend>
          <div class="rdocs-members">
            {people.filter((p) => p.id !== me?.id).map((p) => (
              <label class="check" key={p.id}>
                <input type="checkbox" checked={members.includes(p.id)}
                  onChange={(e) => setMembers(e.currentTarget.checked ? [...members, p.id] : members.filter((x) => x !== p.id))} />
                {p.displayName}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {people.length === 0 && (
        <Field id="plan-memberIds" label={t("researchDocs.plans.memberIds")} error={errors.memberIds} hint={t("researchDocs.plans.memberIdsHint")}>
          <input {...inputProps("plan-memberIds", errors.memberIds)} value={memberIds} spellcheck={false} onInput={(e) => setMemberIds(e.currentTarget.value)} />
        </Field>
      )}
      <div class="field rdocs-span">
        <label for="plan-body">{t("researchDocs.plans.body")}</label>
        <textarea id="plan-body" class="rdocs-textarea" rows={8} value={v.body} onInput={set("body")} aria-describedby="plan-body-hint" />
        <p class="hint" id="plan-body-hint">{t("researchDocs.plan.paragraphHint")}</p>
      </div>
      <Notice text={failure} />
      <button type="submit" class="primary" data-testid="btn-create-plan" disabled={busy}>{t("common.create")}</button>
    </form>
  );
}
