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
import { CandidatePicker, candidateName } from "./CandidatePicker";

/** The people chosen for one role, each removable. */
function Chosen({ people, onRemove }: { people: AllianceCandidate[]; onRemove: (id: string) => void }) {
  if (people.length === 0) return <p class="muted">{t("alliance.noneChosen")}</p>;
  return (
    <ul class="chosen">
      {people.map((c) => (
        <li key={c.personId}>
          {candidateName(c)}{" "}
          <button type="button" class="small secondary" aria-label={t("alliance.removeChosen", { name: c.name })} onClick={() => onRemove(c.personId)}>
            {t("common.remove")}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** 申请成立联盟: a teacher or school admin proposes an alliance at a level above their school, naming its chief and experts. */
export function AllianceApplyPage() {
  const [levels, setLevels] = useState<AllianceLevel[]>([]);
  const [form, setForm] = useState({ organisationId: "", name: "", subject: "", stage: "primary", plan: "" });
  const [chief, setChief] = useState<AllianceCandidate | null>(null);
  const [experts, setExperts] = useState<AllianceCandidate[]>([]);
  const [core, setCore] = useState<AllianceCandidate[]>([]);
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
  const set = (name: keyof typeof form) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });
  const chosen = [...(chief ? [chief] : []), ...experts, ...core].map((c) => c.personId);

  async function submit(e: Event) {
    e.preventDefault();
    const local: Record<string, string> = {};
    for (const k of ["name", "subject", "plan"] as const) if (!form[k].trim()) local[k] = fieldMessage("required");
    if (!chief) local.chiefId = fieldMessage("required");
    setErrors(local);
    if (Object.keys(local).length > 0) {
      document.getElementById(`al-${Object.keys(local)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await api.post<AllianceSummary>("/api/alliances", {
        ...form,
        chiefId: chief!.personId,
        expertIds: experts.map((c) => c.personId),
        coreIds: core.map((c) => c.personId),
      });
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
          <fieldset data-testid="alliance-chief">
            <legend>{t("alliance.chief")}</legend>
            {chief ? <Chosen people={[chief]} onRemove={() => setChief(null)} /> : (
              <CandidatePicker
                id="al-chiefId"
                label={t("alliance.searchPeople")}
                organisationId={form.organisationId}
                teachersOnly
                exclude={chosen}
                onPick={setChief}
                error={errors.chiefId}
              />
            )}
          </fieldset>
          <fieldset data-testid="alliance-experts">
            <legend>{t("alliance.expertsPick", { min: 2 })}</legend>
            <Chosen people={experts} onRemove={(id) => setExperts(experts.filter((c) => c.personId !== id))} />
            <CandidatePicker
              id="al-experts"
              label={t("alliance.searchPeople")}
              organisationId={form.organisationId}
              exclude={chosen}
              onPick={(c) => setExperts([...experts, c])}
              error={errors.expertIds}
            />
          </fieldset>
          <fieldset data-testid="alliance-core">
            <legend>{t("alliance.corePick", { max: 15 })}</legend>
            <Chosen people={core} onRemove={(id) => setCore(core.filter((c) => c.personId !== id))} />
            <CandidatePicker
              id="al-core"
              label={t("alliance.searchPeople")}
              organisationId={form.organisationId}
              teachersOnly
              exclude={chosen}
              onPick={(c) => setCore([...core, c])}
              error={errors.coreIds}
            />
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
