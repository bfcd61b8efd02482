import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../../i18n";
import { api, session } from "../../api/session";
import { ApiError, errorText } from "../../api/client";
import { ceKinds, schoolToday, schoolYear, type CeCourse, type CeReport, type CeRequirement } from "../../api/ce";
import { Notice } from "../../components/Notice";
import { useOrgTree } from "../admin/orgTree";
import { CeChart } from "./CeChart";
import { useLatest } from "../../components/latest";

/** 学时统计: a school's or county's teachers against the requirement (chart, table, CSV), 校本研修 and the requirement. */
export function CeAdminPage() {
  const tree = useOrgTree();
  const scopes = tree.flat.filter((f) => f.org.canAdminister && f.org.kind !== "province");
  const [orgId, setOrgId] = useState<string>("");
  const [year, setYear] = useState(schoolYear());
  const [report, setReport] = useState<CeReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const selected = orgId || scopes[0]?.org.id || "";
  const selectedKind = tree.flat.find((f) => f.org.id === selected)?.org.kind;

  const latest = useLatest();

  async function load() {
    const mine = latest();
    if (!selected) return;
    try {
      const report = await api.get<CeReport>(`/api/ce/report?organisationId=${selected}&year=${year}`);
      if (!mine()) return;
      setReport(report);
      setError(null);
    } catch (e) {
      if (!mine()) return;
      setReport(null);
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), [selected, year]);

  async function downloadCsv() {
    const res = await fetch(`/api/ce/report.csv?organisationId=${selected}&year=${year}`, { headers: { Authorization: `Bearer ${session.token()}` } });
    if (!res.ok) {
      setError(errorText(new ApiError(res.status, {})));
      return;
    }
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = `ce-hours-${year}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  return (
    <>
      <div class="toolbar">
        <label for="ce-scope">{t("ce.scope")}</label>
        <select id="ce-scope" value={selected} onChange={(e) => setOrgId(e.currentTarget.value)}>
          {scopes.map((f) => (
            <option key={f.org.id} value={f.org.id}>
              {f.org.name}
            </option>
          ))}
        </select>
        <label for="ce-admin-year">{t("ce.year")}</label>
        <select id="ce-admin-year" value={year} onChange={(e) => setYear(Number(e.currentTarget.value))}>
          {[schoolYear() + 1, schoolYear(), schoolYear() - 1].map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
        <button type="button" class="secondary" onClick={() => void downloadCsv()} disabled={!selected}>
          {t("ce.csv")}
        </button>
      </div>
      <Notice text={error ?? tree.error} />
      <Notice kind="info" text={info} testId="ce-info" />
      {report && (
        <>
          <p data-testid="ce-behind-count">{t("ce.behindCount", { behind: report.behind, teachers: report.teachers })}</p>
          {report.rows.length > 0 && <CeChart rows={report.rows} />}
          <table class="data" data-testid="ce-report">
            <thead>
              <tr>
                <th scope="col">{t("ce.teacher")}</th>
                <th scope="col">{t("ce.school")}</th>
                <th scope="col">{t("ce.earned")}</th>
                <th scope="col">{t("ce.expected")}</th>
                <th scope="col">{t("ce.totalHours")}</th>
                {ceKinds.map((k) => (
                  <th scope="col" key={k}>
                    {t(`ce.kind.${k}` as MessageKey)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={r.personId} class={r.behind ? "behind" : undefined}>
                  <th scope="row">
                    {r.name}
                    {r.behind && <span class="warn"> {t("ce.behind")}</span>}
                  </th>
                  <td>{r.schoolName}</td>
                  <td>{r.earnedHours.toFixed(1)}</td>
                  <td>{r.expectedHours.toFixed(1)}</td>
                  <td>{r.totalHours}</td>
                  {ceKinds.map((k) => (
                    <td key={k}>{r.hoursByKind[k].toFixed(1)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {selectedKind === "school" && (
            <TrainingForm report={report} onDone={(name) => (setInfo(t("ce.trainingAdded", { name })), void load())} onError={setError} />
          )}
        </>
      )}
      {selected && <RequirementForm organisationId={selected} year={year} onSaved={() => (setInfo(t("ce.requirementSaved")), void load())} onError={setError} />}
      {selected && <CoursesPanel organisationId={selected} isSchool={selectedKind === "school"} year={year} onError={setError} />}
    </>
  );
}

/** 校本研修: hours the school's admin credits to one of its teachers, with a note. */
function TrainingForm({ report, onDone, onError }: { report: CeReport; onDone: (name: string) => void; onError: (e: string) => void }) {
  const [personId, setPersonId] = useState("");
  const [date, setDate] = useState(schoolToday());
  const [hours, setHours] = useState("2");
  const [note, setNote] = useState("");
  const [fields, setFields] = useState<Record<string, string>>({});
  const person = personId || report.rows[0]?.personId || "";

  async function submit(e: Event) {
    e.preventDefault();
    try {
      await api.post("/api/ce/credits", { personId: person, date, hours: Number(hours), note });
      setNote("");
      setFields({});
      onDone(report.rows.find((r) => r.personId === person)?.name ?? "");
    } catch (err) {
      setFields(err instanceof ApiError ? (err.body.fields ?? {}) : {});
      onError(errorText(err));
    }
  }

  const fieldError = (name: string) => (fields[name] ? <span class="field-error">{t("ce.fieldInvalid", { code: fields[name] })}</span> : null);
  return (
    <form class="card ce-form" onSubmit={(e) => void submit(e)} data-testid="ce-training-form">
      <h2>{t("ce.training")}</h2>
      <label for="ce-t-person">{t("ce.teacher")}</label>
      <select id="ce-t-person" value={person} onChange={(e) => setPersonId(e.currentTarget.value)}>
        {report.rows.map((r) => (
          <option key={r.personId} value={r.personId}>
            {r.name}
          </option>
        ))}
      </select>
      <label for="ce-t-date">{t("ce.date")}</label>
      <input id="ce-t-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
      {fieldError("date")}
      <label for="ce-t-hours">{t("ce.hours")}</label>
      <input id="ce-t-hours" type="number" min={0.5} max={40} step={0.5} value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
      {fieldError("hours")}
      <label for="ce-t-note">{t("ce.note")}</label>
      <input id="ce-t-note" type="text" maxLength={500} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
      {fieldError("note")}
      <button type="submit" class="primary">
        {t("ce.addTraining")}
      </button>
    </form>
  );
}

/** The yearly requirement at the selected organisation (the admin's own level sets it for the subtree). */
function RequirementForm({ organisationId, year, onSaved, onError }: { organisationId: string; year: number; onSaved: () => void; onError: (e: string) => void }) {
  const [current, setCurrent] = useState<CeRequirement | null>(null);
  const [total, setTotal] = useState("");
  const [required, setRequired] = useState("");
  useEffect(() => {
    api
      .get<CeRequirement>(`/api/ce/requirements?organisationId=${organisationId}&year=${year}`)
      .then((r) => (setCurrent(r), setTotal(String(r.totalHours)), setRequired(String(r.requiredHours))))
      .catch((e) => onError(errorText(e)));
  }, [organisationId, year]);

  async function submit(e: Event) {
    e.preventDefault();
    try {
      setCurrent(await api.put<CeRequirement>("/api/ce/requirements", { organisationId, year, totalHours: Number(total), requiredHours: Number(required) }));
      onSaved();
    } catch (err) {
      onError(errorText(err));
    }
  }

  return (
    <form class="card ce-form" onSubmit={(e) => void submit(e)} data-testid="ce-requirement-form">
      <h2>{t("ce.requirement")}</h2>
      {current && (
        <p class="muted">{current.sourceOrganisationName ? t("ce.setBy", { name: current.sourceOrganisationName }) : t("ce.default")}</p>
      )}
      <label for="ce-r-total">{t("ce.totalHours")}</label>
      <input id="ce-r-total" type="number" min={1} max={500} value={total} onInput={(e) => setTotal(e.currentTarget.value)} />
      <label for="ce-r-required">{t("ce.requiredHours")}</label>
      <input id="ce-r-required" type="number" min={0} max={500} value={required} onInput={(e) => setRequired(e.currentTarget.value)} />
      <button type="submit" class="primary">
        {t("common.save")}
      </button>
    </form>
  );
}

/** The courses this level offers: required ones pushed by 学段/学科, and (a school) electives under its topics. */
function CoursesPanel({ organisationId, isSchool, year, onError }: { organisationId: string; isSchool: boolean; year: number; onError: (e: string) => void }) {
  const [courses, setCourses] = useState<CeCourse[]>([]);
  const [open, setOpen] = useState(true);
  const [kind, setKind] = useState<"required" | "elective">("required");
  const [title, setTitle] = useState("");
  const [topic, setTopic] = useState("");
  const [stage, setStage] = useState("");
  const [subject, setSubject] = useState("");
  const [hours, setHours] = useState("4");
  const latest = useLatest();
  async function load() {
    const mine = latest();
    try {
      const list = await api.get<{ registrationOpen: boolean; items: CeCourse[] }>(`/api/ce/courses?organisationId=${organisationId}&year=${year}`);
      if (!mine()) return;
      setCourses(list.items);
      setOpen(list.registrationOpen);
    } catch (e) {
      onError(errorText(e));
    }
  }
  useEffect(() => void load(), [organisationId, year]);

  async function submit(e: Event) {
    e.preventDefault();
    try {
      await api.post("/api/ce/courses", {
        organisationId,
        year,
        kind,
        title,
        topic: kind === "elective" ? topic : null,
        stage: stage || null,
        subject: subject || null,
        hours: Number(hours),
      });
      setTitle("");
      await load();
    } catch (err) {
      onError(errorText(err));
    }
  }

  return (
    <section class="card" data-testid="ce-courses-admin">
      <h2>{t("ce.courses")}</h2>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t("ce.course")}</th>
            <th scope="col">{t("ce.courseKind")}</th>
            <th scope="col">{t("ce.audience")}</th>
            <th scope="col">{t("ce.hours")}</th>
          </tr>
        </thead>
        <tbody>
          {courses.map((c) => (
            <tr key={c.id}>
              <th scope="row">
                {c.topic ? `${c.topic} · ` : ""}
                {c.title}
              </th>
              <td>{t(c.kind === "required" ? "ce.required" : "ce.elective")}</td>
              <td>{[c.stage ? t(`platform.stage.${c.stage}` as MessageKey) : t("ce.allStages"), c.subject ?? t("ce.allSubjects")].join(" · ")}</td>
              <td>{c.hours}</td>
            </tr>
          ))}
          {courses.length === 0 && (
            <tr>
              <td colSpan={4} class="muted">
                {t("ce.noCourses")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {open ? (
        <form class="ce-form" onSubmit={(e) => void submit(e)}>
          <label for="ce-c-kind">{t("ce.courseKind")}</label>
          <select id="ce-c-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as "required" | "elective")}>
            <option value="required">{t("ce.required")}</option>
            {isSchool && <option value="elective">{t("ce.elective")}</option>}
          </select>
          {kind === "elective" && (
            <>
              <label for="ce-c-topic">{t("ce.topic")}</label>
              <input id="ce-c-topic" type="text" maxLength={100} value={topic} onInput={(e) => setTopic(e.currentTarget.value)} />
            </>
          )}
          <label for="ce-c-title">{t("ce.course")}</label>
          <input id="ce-c-title" type="text" maxLength={200} value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
          <label for="ce-c-stage">{t("ce.stage")}</label>
          <select id="ce-c-stage" value={stage} onChange={(e) => setStage(e.currentTarget.value)}>
            <option value="">{t("ce.allStages")}</option>
            {["preschool", "primary", "junior", "senior"].map((s) => (
              <option key={s} value={s}>
                {t(`platform.stage.${s}` as MessageKey)}
              </option>
            ))}
          </select>
          <label for="ce-c-subject">{t("ce.subject")}</label>
          <input id="ce-c-subject" type="text" maxLength={50} value={subject} onInput={(e) => setSubject(e.currentTarget.value)} />
          <label for="ce-c-hours">{t("ce.hours")}</label>
          <input id="ce-c-hours" type="number" min={1} max={100} value={hours} onInput={(e) => setHours(e.currentTarget.value)} />
          <button type="submit" class="primary">
            {t("ce.addCourse")}
          </button>
        </form>
      ) : (
        <p class="muted">{t("ce.registrationClosed", { year })}</p>
      )}
    </section>
  );
}
