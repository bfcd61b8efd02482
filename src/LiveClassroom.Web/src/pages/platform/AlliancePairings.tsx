import { useState } from "preact/hooks";
import { formatDateTime, t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import type { AllianceDetail, AlliancePairing } from "../../api/alliances";
import type { ClassOrderSlot } from "../../api/platform";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { WeeklySlots, firstSlot } from "../../components/WeeklySlots";
import { fieldErrors, required } from "../../components/validation";

type Act = (fn: () => Promise<unknown>, done: string) => Promise<boolean>;

const slotText = (s: ClassOrderSlot) => `${t(`platform.orders.day${s.day}` as MessageKey)} ${s.start}（${s.durationMinutes}′）`;

/**
 * 结对 (专递课堂 1+N among member schools): the alliance's pairings, the chief's and experts' form, 确认 or 拒绝 (with a
 * reason) for the rural county's admin, 撤回 for whoever may withdraw a pending one.
 */
export function AlliancePairings({ detail, allianceId, act, reload }: { detail: AllianceDetail; allianceId: string; act: Act; reload: () => Promise<void> }) {
  return (
    <section aria-labelledby="al-pairings-h">
      <h2 id="al-pairings-h">{t("alliance.pairings")}</h2>
      {detail.canSchedulePairing && detail.pairingOptions && <PairingForm allianceId={allianceId} detail={detail} reload={reload} />}
      <table class="data" data-testid="alliance-pairings">
        <thead>
          <tr>
            <th scope="col">{t("alliance.pairingCourse")}</th>
            <th scope="col">{t("platform.orders.leadClassroom")}</th>
            <th scope="col">{t("alliance.pairingRural")}</th>
            <th scope="col">{t("platform.orders.term")}</th>
            <th scope="col">{t("alliance.pairingStatus")}</th>
          </tr>
        </thead>
        <tbody>
          {detail.pairings.map((p) => (
            <PairingRow key={p.id} p={p} allianceId={allianceId} act={act} />
          ))}
          {detail.pairings.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">
                {t("alliance.noPairings")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}

function PairingRow({ p, allianceId, act }: { p: AlliancePairing; allianceId: string; act: Act }) {
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const path = `/api/alliances/${allianceId}/pairings/${p.id}`;
  const reasonId = `alp-reason-${p.id}`;

  async function reject() {
    const problem = required(reason);
    setReasonError(problem);
    if (problem) {
      document.getElementById(reasonId)?.focus();
      return;
    }
    if (await act(() => api.post(`${path}/reject`, { reason: reason.trim() }), t("alliance.pairingRejected"))) setReason("");
  }

  return (
    <tr data-status={p.status}>
      <th scope="row">
        {p.subject} {p.grade}
        <div class="muted">{p.slots.map(slotText).join("，")}</div>
      </th>
      <td>
        {p.lead.schoolName} · {p.lead.name} · {p.leadTeacherName}
      </td>
      <td>{p.rural.map((r) => `${r.schoolName} · ${r.name}`).join("；")}</td>
      <td>
        {p.termName}（{p.termStart} – {p.termEnd}）
      </td>
      <td>
        {t(`alliance.pairingStatus.${p.status}` as MessageKey)}
        {p.crossCounty ? `（${t("alliance.crossCounty")}）` : ""}
        {p.reason && <div data-testid="alliance-pairing-reason">{t("alliance.pairingReason", { reason: p.reason })}</div>}
        {p.canConfirm && (
          <div class="actions">
            <button type="button" class="small primary" onClick={() => void act(() => api.post(`${path}/confirm`), t("alliance.pairingConfirmed"))}>
              {t("alliance.pairingConfirm")}
            </button>
            <div class={`field${reasonError ? " invalid" : ""}`}>
              <label for={reasonId}>{t("alliance.pairingRejectReason")}</label>
              <input {...inputProps(reasonId, reasonError)} maxLength={500} value={reason} onInput={(e) => {
                  setReason(e.currentTarget.value);
                  setReasonError(null);
                }} />
              {reasonError && (
                <p class="field-error" id={`${reasonId}-error`} role="alert">
                  {reasonError}
                </p>
              )}
            </div>
            <button type="button" class="small secondary" onClick={() => void reject()}>
              {t("alliance.pairingReject")}
            </button>
          </div>
        )}
        {p.canCancel && (
          <div class="actions">
            <button type="button" class="small secondary" onClick={() => void act(() => api.post(`${path}/cancel`), t("alliance.pairingCancelled"))}>
              {t("alliance.pairingCancel")}
            </button>
          </div>
        )}
        <div class="muted">
          {t("alliance.pairingProposedBy", { name: p.proposedByName })} · {formatDateTime(p.createdAt)}
          {p.decidedAt ? ` · ${t(`alliance.pairingDecidedAt.${p.status}` as MessageKey, { at: formatDateTime(p.decidedAt) })}` : ""}
        </div>
      </td>
    </tr>
  );
}

/** The chief's or an expert's form: a member's lead classroom and teacher, member rural classrooms, the course, the term, weekly periods. */
function PairingForm({ allianceId, detail, reload }: { allianceId: string; detail: AllianceDetail; reload: () => Promise<void> }) {
  const options = detail.pairingOptions!;
  const leads = options.classrooms.filter((c) => options.teachers.some((x) => x.schoolId === c.schoolId));
  const [lead, setLead] = useState(leads[0]?.id ?? "");
  const leadSchool = options.classrooms.find((c) => c.id === lead)?.schoolId;
  const teachers = options.teachers.filter((x) => x.schoolId === leadSchool);
  const [teacher, setTeacher] = useState("");
  const [rural, setRural] = useState<string[]>([]);
  const [v, setV] = useState({ subject: detail.alliance.subject, grade: "", textbookEdition: "", termName: "", termStart: "", termEnd: "" });
  const [slots, setSlots] = useState<ClassOrderSlot[]>([firstSlot()]);
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });
  const chosenTeacher = teachers.some((x) => x.personId === teacher) ? teacher : (teachers[0]?.personId ?? "");

  async function submit(e: Event) {
    e.preventDefault();
    const local: Record<string, string | null> = {
      subject: required(v.subject), grade: required(v.grade), textbookEdition: required(v.textbookEdition), termName: required(v.termName),
      termStart: required(v.termStart), termEnd: required(v.termEnd), ruralClassroomIds: rural.length ? null : t("validation.required"),
    };
    setErrors(local);
    setFailure(null);
    setDone(null);
    if (Object.values(local).some(Boolean)) return;
    try {
      const created = await api.post<AlliancePairing>(`/api/alliances/${allianceId}/pairings`, {
        ...v, leadClassroomId: lead, leadTeacherId: chosenTeacher, ruralClassroomIds: rural, slots,
      });
      setDone(created.status === "pending" ? t("alliance.pairingPending") : t("alliance.pairingScheduled"));
      setRural([]);
      await reload();
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorText(err));
    }
  }

  const text = (k: keyof typeof v, label: string, date = false) => (
    <Field id={`alp-${k}`} label={label} error={errors[k]}>
      {date ? (
        <input {...inputProps(`alp-${k}`, errors[k])} type="date" value={v[k]} onInput={set(k)} />
      ) : (
        <input {...inputProps(`alp-${k}`, errors[k])} type="text" value={v[k]} onInput={set(k)} />
      )}
    </Field>
  );
  return (
    <form class="card" onSubmit={submit} noValidate data-testid="alliance-pairing-form">
      <h3>{t("alliance.pairingSchedule")}</h3>
      <Field id="alp-lead" label={t("platform.orders.leadClassroom")} error={errors.leadClassroomId}>
        <select id="alp-lead" value={lead} onChange={(e) => setLead(e.currentTarget.value)}>
          {leads.map((c) => (
            <option key={c.id} value={c.id}>
              {c.schoolName} · {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id="alp-teacher" label={t("platform.orders.leadTeacher")} error={errors.leadTeacherId}>
        <select id="alp-teacher" value={chosenTeacher} onChange={(e) => setTeacher(e.currentTarget.value)}>
          {teachers.map((x) => (
            <option key={x.personId} value={x.personId}>
              {x.name}
            </option>
          ))}
        </select>
      </Field>
      <fieldset>
        <legend>{t("alliance.pairingRural")}</legend>
        {options.classrooms.filter((c) => c.isRural).map((c) => (
          <label key={c.id} class="check">
            <input
              type="checkbox"
              checked={rural.includes(c.id)}
              onChange={(e) => setRural(e.currentTarget.checked ? [...rural, c.id] : rural.filter((x) => x !== c.id))}
            />{" "}
            {c.schoolName} · {c.name}
          </label>
        ))}
        {errors.ruralClassroomIds && <p class="field-error">{errors.ruralClassroomIds}</p>}
      </fieldset>
      {text("subject", t("pairings.subject"))}
      {text("grade", t("pairings.grade"))}
      {text("textbookEdition", t("pairings.textbook"))}
      {text("termName", t("platform.orders.termName"))}
      {text("termStart", t("platform.orders.termStart"), true)}
      {text("termEnd", t("platform.orders.termEnd"), true)}
      <WeeklySlots legend={t("alliance.pairingSlots")} slots={slots} onChange={setSlots} />
      <Notice text={failure} />
      <Notice kind="info" text={done} testId="alliance-pairing-info" />
      <button type="submit" class="primary">
        {t("alliance.pairingSubmit")}
      </button>
    </form>
  );
}
