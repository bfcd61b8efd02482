import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import type { AllianceCandidate, AllianceLevel, AllianceSummary } from "../../api/alliances";
import { navigate } from "../../router";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { Field, inputProps } from "../../components/Field";
import { fieldErrors, fieldMessage } from "../../components/validation";
import { stages } from "./labels";
import { levelLabel } from "./allianceLabels";

/** 申请成立联盟: a teacher or school admin proposes an alliance at a level above their school, naming its chief and experts. */
export function AllianceApplyPage() {
  const [levels, setLevels] = useState<AllianceLevel[]>([]);
  const [candidates, setCandidates] = useState<AllianceCandidate[]>([]);
  const [form, setForm] = useState({ organisationId: "", name: "", subject: "", stage: "primary", plan: "", chiefId: "" });
  const [experts, setExperts] = useState<string[]>([]);
  const [core, setCore] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .get<{ items: AllianceLevel[] }>("/api/alliances/levels")
      .then((b) => {
        setLevels(b.items);
        if (b.items.length > 0) setForm((f) => ({ ...f, organisationId: b.items[0].id }));
      })
      .catch((e) => setFailure(errorText(e)));
  }, []);
  useEffect(() => {
    if (!form.organisationId) return;
    api
      .get<{ items: AllianceCandidate[] }>(`/api/alliances/candidates?organisationId=${form.organisationId}`)
      .then((b) => setCandidates(b.items))
      .catch((e) => setFailure(errorText(e)));
  }, [form.organisationId]);

  const set = (name: keyof typeof form) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });
  const toggle = (list: string[], setList: (l: string[]) => void, id: string) => setList(list.includes(id) ? list.filter((x) => x !== id) : [...list, id]);

  async function submit(e: Event) {
    e.preventDefault();
    const local: Record<string, string> = {};
    for (const k of ["name", "subject", "plan", "chiefId"] as const) if (!form[k].trim()) local[k] = fieldMessage("required");
    setErrors(local);
    if (Object.keys(local).length > 0) {
      document.getElementById(`al-${Object.keys(local)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await api.post<AllianceSummary>("/api/alliances", { ...form, expertIds: experts, coreIds: core });
      navigate(`/alliances/${created.id}`);
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const text = (name: "name" | "subject", label: MessageKey) => (
    <Field id={`al-${name}`} label={t(label)} error={errors[name]}>
      <input {...inputProps(`al-${name}`, errors[name])} value={form[name]} onInput={set(name)} />
    </Field>
  );
  const teachers = candidates.filter((c) => c.isTeacher);
  const who = (c: AllianceCandidate) => (c.schoolName ? `${c.name}（${c.schoolName}）` : c.name);

  return (
    <>
      <TopBar />
      <main class="page">
        <h1>{t("alliance.apply")}</h1>
        <form onSubmit={submit} noValidate data-testid="alliance-apply-form">
          <Field id="al-organisationId" label={t("alliance.level")} error={errors.organisationId}>
            <select {...inputProps("al-organisationId", errors.organisationId)} value={form.organisationId} onChange={set("organisationId")}>
              {levels.map((l) => (
                <option key={l.id} value={l.id}>
                  {levelLabel(l.kind)} · {l.name}
                </option>
              ))}
            </select>
          </Field>
          {text("name", "alliance.name")}
          {text("subject", "alliance.subject")}
          <Field id="al-stage" label={t("alliance.stage")} error={errors.stage}>
            <select {...inputProps("al-stage", errors.stage)} value={form.stage} onChange={set("stage")}>
              {stages.map((s) => (
                <option key={s} value={s}>
                  {t(`platform.stage.${s}` as MessageKey)}
                </option>
              ))}
            </select>
          </Field>
          <Field id="al-plan" label={t("alliance.plan")} error={errors.plan}>
            <textarea {...inputProps("al-plan", errors.plan)} rows={5} value={form.plan} onInput={set("plan")} />
          </Field>
          <Field id="al-chiefId" label={t("alliance.chief")} error={errors.chiefId}>
            <select {...inputProps("al-chiefId", errors.chiefId)} value={form.chiefId} onChange={set("chiefId")}>
              <option value="">{t("common.choose")}</option>
              {teachers.map((c) => (
                <option key={c.personId} value={c.personId}>
                  {who(c)}
                </option>
              ))}
            </select>
          </Field>
          <fieldset data-testid="alliance-experts">
            <legend>{t("alliance.expertsPick", { min: 2 })}</legend>
            {errors.expertIds && <p class="field-error">{errors.expertIds}</p>}
            {candidates
              .filter((c) => c.personId !== form.chiefId)
              .map((c) => (
                <label class="check" key={c.personId}>
                  <input type="checkbox" checked={experts.includes(c.personId)} onChange={() => toggle(experts, setExperts, c.personId)} /> {c.name}
                </label>
              ))}
          </fieldset>
          <fieldset data-testid="alliance-core">
            <legend>{t("alliance.corePick", { max: 15 })}</legend>
            {errors.coreIds && <p class="field-error">{errors.coreIds}</p>}
            {teachers
              .filter((c) => c.personId !== form.chiefId && !experts.includes(c.personId))
              .map((c) => (
                <label class="check" key={c.personId}>
                  <input type="checkbox" checked={core.includes(c.personId)} onChange={() => toggle(core, setCore, c.personId)} /> {c.name}
                </label>
              ))}
          </fieldset>
          <Notice text={failure} />
          <button type="submit" class="primary" disabled={busy}>
            {t("alliance.submit")}
          </button>
        </form>
      </main>
    </>
  );
}
