import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import { ApiError, errorText } from "../../api/client";
import { unwrap } from "../../api/lessons";
import type { Pairing, Person } from "../../api/types";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { fieldErrors, required } from "../../components/validation";
import { allClassrooms, useOrgTree } from "./orgTree";
import { TimetableEditor } from "./TimetableEditor";
import { placeLabel } from "../../live/classrooms";

type Errors = Record<string, string | null | undefined>;
const pid = (p: Pairing) => p.pairingId ?? p.id ?? "";

export function PairingsPage() {
  const [pairings, setPairings] = useState<Pairing[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);

  async function load() {
    try {
      setPairings(unwrap<Pairing>(await api.get<unknown>("/api/pairings"), "pairings"));
    } catch (e) {
      setPairings([]);
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);
  const current = pairings?.find((p) => pid(p) === selected);

  return (
    <>
      <Notice text={error} />
      <table class="data" data-testid="pairing-table">
        <caption class="sr-only">{t("admin.pairings")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("pairings.name")}</th>
            <th scope="col">{t("pairings.lead")}</th>
            <th scope="col">{t("pairings.rural")}</th>
            <th scope="col">{t("pairings.course")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {(pairings ?? []).map((p) => (
            <tr key={pid(p)}>
              <th scope="row">{p.name}</th>
              <td>{placeLabel(p.leadClassroom?.schoolName, p.leadClassroom?.name)} · {p.leadTeacher?.name}</td>
              <td>{(p.ruralClassrooms ?? []).map((c) => placeLabel(c.schoolName, c.name)).join("、")}</td>
              <td>{[p.subject, p.grade, p.textbookEdition].filter(Boolean).join(" · ")}</td>
              <td>
                <button type="button" class="small secondary" aria-expanded={selected === pid(p)} onClick={() => setSelected(selected === pid(p) ? null : pid(p))}>
                  {t("pairings.timetable")}
                </button>
              </td>
            </tr>
          ))}
          {pairings?.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">{t("pairings.none")}</td>
            </tr>
          )}
        </tbody>
      </table>
      {current && <TimetableEditor key={pid(current)} pairingId={pid(current)} name={current.name} />}
      <PairingForm onCreated={() => void load()} />
    </>
  );
}

const blankPairing = { name: "", leadClassroomId: "", leadTeacherId: "", subject: "", grade: "", textbookEdition: "" };

function PairingForm({ onCreated }: { onCreated: () => void }) {
  const tree = useOrgTree();
  const rooms = allClassrooms(tree.flat);
  const ruralSchools = new Set(tree.flat.filter((f) => f.org.isRural).map((f) => f.org.id));
  const [teachers, setTeachers] = useState<Person[]>([]);
  const [v, setV] = useState(blankPairing);
  const [rural, setRural] = useState<string[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });

  useEffect(() => {
    api.get<unknown>("/api/people?pageSize=200")
      .then((b) => setTeachers(unwrap<Person>(b, "people").filter((p) => p.roles.some((r) => r.role === "lead_teacher"))))
      .catch(() => setTeachers([]));
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setFailure(null);
    setDone(null);
    const local: Errors = {
      name: required(v.name),
      leadClassroomId: v.leadClassroomId ? null : t("validation.required"),
      leadTeacherId: v.leadTeacherId ? null : t("validation.required"),
      ruralClassroomIds: rural.length ? null : t("pairings.needRural"),
      subject: required(v.subject),
    };
    setErrors(local);
    const firstBad = Object.entries(local).find(([, m]) => m)?.[0];
    if (firstBad) return document.getElementById(`pairing-${firstBad}`)?.focus();
    try {
      await api.post("/api/pairings", { ...v, name: v.name.trim(), ruralClassroomIds: rural });
      setDone(t("pairings.created", { name: v.name.trim() }));
      // A cleared form: a second click cannot create the same pairing again.
      setV(blankPairing);
      setRural([]);
      setErrors({});
      onCreated();
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (err instanceof ApiError && err.code === "duplicate_pairing") setFailure(t("pairings.duplicate"));
      else if (Object.keys(fields).length === 0) setFailure(errorText(err));
    }
  }

  return (
    <form class="panel form-grid" noValidate onSubmit={submit} aria-labelledby="pairing-form-title">
      <h2 id="pairing-form-title">{t("pairings.add")}</h2>
      <Field id="pairing-name" label={t("pairings.name")} error={errors.name}>
        <input {...inputProps("pairing-name", errors.name)} value={v.name} onInput={set("name")} />
      </Field>
      <Field id="pairing-leadClassroomId" label={t("pairings.leadClassroom")} error={errors.leadClassroomId}>
        <select {...inputProps("pairing-leadClassroomId", errors.leadClassroomId)} value={v.leadClassroomId} onChange={set("leadClassroomId")}>
          <option value="">{t("common.choose")}</option>
          {rooms.filter((r) => !ruralSchools.has(r.schoolId)).map((r) => <option key={r.id} value={r.id}>{r.label}</option>)}
        </select>
      </Field>
      <Field id="pairing-leadTeacherId" label={t("pairings.leadTeacher")} error={errors.leadTeacherId}>
        <select {...inputProps("pairing-leadTeacherId", errors.leadTeacherId)} value={v.leadTeacherId} onChange={set("leadTeacherId")}>
          <option value="">{t("common.choose")}</option>
          {teachers.map((p) => <option key={p.id} value={p.id}>{p.displayName}（{p.organisationName}）</option>)}
        </select>
      </Field>
      <fieldset class={errors.ruralClassroomIds ? "invalid" : ""} aria-describedby={errors.ruralClassroomIds ? "pairing-ruralClassroomIds-error" : undefined}>
        <legend>{t("pairings.rural")}</legend>
        {rooms.filter((r) => ruralSchools.has(r.schoolId)).map((r, i) => (
          <label class="check" key={r.id}>
            <input type="checkbox" id={i === 0 ? "pairing-ruralClassroomIds" : undefined} checked={rural.includes(r.id)}
              onChange={(e) => setRural(e.currentTarget.checked ? [...rural, r.id] : rural.filter((x) => x !== r.id))} />
            {r.label}
          </label>
        ))}
        {errors.ruralClassroomIds && <p class="field-error" id="pairing-ruralClassroomIds-error" role="alert">{errors.ruralClassroomIds}</p>}
      </fieldset>
      <Field id="pairing-subject" label={t("pairings.subject")} error={errors.subject}>
        <input {...inputProps("pairing-subject", errors.subject)} value={v.subject} onInput={set("subject")} />
      </Field>
      <Field id="pairing-grade" label={t("pairings.grade")} error={errors.grade}>
        <input {...inputProps("pairing-grade", errors.grade)} value={v.grade} onInput={set("grade")} />
      </Field>
      <Field id="pairing-textbookEdition" label={t("pairings.textbook")} error={errors.textbookEdition}>
        <input {...inputProps("pairing-textbookEdition", errors.textbookEdition)} value={v.textbookEdition} onInput={set("textbookEdition")} />
      </Field>
      <Notice text={failure} />
      <Notice text={done} kind="info" />
      <button type="submit" class="primary">{t("common.create")}</button>
    </form>
  );
}
