import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { lessonsOf, localDate, unwrap } from "../../api/lessons";
import type { Lesson, TermTimetable, WeeklySlot } from "../../api/types";
import { Notice } from "../../components/Notice";
import { fieldErrors } from "../../components/validation";
import { useLatest } from "../../components/latest";
import { formatDateTime } from "../../i18n";

const dayKeys: MessageKey[] = ["day.0", "day.1", "day.2", "day.3", "day.4", "day.5", "day.6"];
const dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const dayIndex = (d: number | string) => (typeof d === "number" ? d : Math.max(0, dayNames.indexOf(d)));

function emptyTerm(): TermTimetable {
  const y = new Date().getFullYear();
  return { termName: "", startDate: `${y}-09-01`, endDate: `${y + 1}-01-20`, slots: [], holidays: [], makeUpDays: [] };
}

/** The pairing's one shared term timetable (weekly slots) and the lessons it produces. */
export function TimetableEditor({ pairingId, name }: { pairingId: string; name: string }) {
  const [term, setTerm] = useState<TermTimetable | null>(null);
  const [lessons, setLessons] = useState<Lesson[]>([]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const base = `/api/pairings/${encodeURIComponent(pairingId)}`;

  const latest = useLatest();

  async function load() {
    // Another pairing chosen while this one loads: its answers must not land in that pairing's editor.
    const mine = latest();
    try {
      // A pairing without a timetable yet answers null (a new pairing is a normal state, not an error).
      const tt = await api.get<TermTimetable | { timetable: TermTimetable | null } | null>(`${base}/timetable`);
      const value = tt && "timetable" in tt ? tt.timetable : (tt as TermTimetable | null);
      if (!mine()) return;
      setTerm(value ? { ...emptyTerm(), ...value } : emptyTerm());
    } catch (e) {
      if (!mine()) return;
      setTerm(emptyTerm());
      setFailure(errorText(e));
    }
    try {
      // Upcoming: from today on, without today's lessons that are already over.
      const now = Date.now();
      const all = lessonsOf(unwrap<Record<string, any>>(await api.get<unknown>(`${base}/lessons?from=${localDate()}`), "lessons"));
      if (!mine()) return;
      setLessons(all.filter((l) => Date.parse(l.endsAt) > now).slice(0, 20));
    } catch {
      if (mine()) setLessons([]);
    }
  }
  useEffect(() => void load(), [pairingId]);
  if (!term) return null;

  const setSlot = (i: number, patch: Partial<WeeklySlot>) => setTerm({ ...term, slots: term.slots.map((s, j) => (j === i ? { ...s, ...patch } : s)) });

  async function save(e: Event) {
    e.preventDefault();
    setFailure(null);
    setDone(null);
    const local: Record<string, string> = {};
    if (!term!.termName.trim()) local.termName = t("validation.required");
    if (term!.endDate < term!.startDate) local.endDate = t("timetable.endBeforeStart");
    term!.slots.forEach((s, i) => {
      if (!/^\d{2}:\d{2}/.test(s.start)) local[`slots[${i}].start`] = t("validation.invalid");
      if (!(s.durationMinutes >= 10 && s.durationMinutes <= 180)) local[`slots[${i}].durationMinutes`] = t("timetable.duration");
    });
    setErrors(local);
    if (Object.keys(local).length) return;
    try {
      await api.put(`${base}/timetable`, { ...term, slots: term!.slots.map((s) => ({ ...s, start: s.start.length === 5 ? `${s.start}:00` : s.start })) });
      setDone(t("timetable.saved"));
      await load();
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields as Record<string, string>);
      if (Object.keys(fields).length === 0) setFailure(errorText(err));
    }
  }

  const err = (k: string) => errors[k] && <p class="field-error" id={`tt-${k}-error`} role="alert">{errors[k]}</p>;
  return (
    <form class="panel" noValidate onSubmit={save} aria-labelledby="tt-title" data-testid="timetable-editor">
      <h2 id="tt-title">{t("timetable.editTitle", { name })}</h2>
      <div class="row-form">
        <label for="tt-termName">{t("timetable.term")}</label>
        <input id="tt-termName" value={term.termName} aria-invalid={errors.termName ? "true" : undefined} onInput={(e) => setTerm({ ...term, termName: e.currentTarget.value })} />
        <label for="tt-start">{t("timetable.start")}</label>
        <input id="tt-start" type="date" value={term.startDate} onChange={(e) => setTerm({ ...term, startDate: e.currentTarget.value })} />
        <label for="tt-end">{t("timetable.end")}</label>
        <input id="tt-end" type="date" value={term.endDate} aria-invalid={errors.endDate ? "true" : undefined} onChange={(e) => setTerm({ ...term, endDate: e.currentTarget.value })} />
      </div>
      {err("termName")}
      {err("endDate")}
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t("timetable.day")}</th>
            <th scope="col">{t("timetable.time")}</th>
            <th scope="col">{t("timetable.minutes")}</th>
            <th scope="col">{t("pairings.subject")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {term.slots.map((s, i) => (
            <tr key={i}>
              <td>
                <select aria-label={t("timetable.day")} value={dayIndex(s.day)} onChange={(e) => setSlot(i, { day: Number(e.currentTarget.value) })}>
                  {dayKeys.map((k, d) => <option key={d} value={d}>{t(k)}</option>)}
                </select>
              </td>
              <td>
                <input type="time" aria-label={t("timetable.time")} value={s.start.slice(0, 5)} onChange={(e) => setSlot(i, { start: e.currentTarget.value })} />
                {err(`slots[${i}].start`)}
              </td>
              <td>
                <input type="number" min={10} max={180} aria-label={t("timetable.minutes")} value={s.durationMinutes} onInput={(e) => setSlot(i, { durationMinutes: Number(e.currentTarget.value) })} />
                {err(`slots[${i}].durationMinutes`)}
              </td>
              <td>
                <input aria-label={t("pairings.subject")} value={s.subject} onInput={(e) => setSlot(i, { subject: e.currentTarget.value })} />
              </td>
              <td>
                <button type="button" class="small secondary" onClick={() => setTerm({ ...term, slots: term.slots.filter((_, j) => j !== i) })}>{t("common.remove")}</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="secondary" onClick={() => setTerm({ ...term, slots: [...term.slots, { day: 1, start: "08:00", durationMinutes: 40, subject: "" }] })}>
        {t("timetable.addSlot")}
      </button>
      <button type="submit" class="primary">{t("common.save")}</button>
      <Notice text={failure} />
      <Notice text={done} kind="info" />
      <h3>{t("timetable.lessons")}</h3>
      <ul class="plain">
        {lessons.map((l) => <li key={l.id} data-testid="upcoming-lesson">{formatDateTime(l.startsAt)} · {l.subject ?? ""}{l.classId ? ` · ${t("lesson.opened")}` : ""}</li>)}
        {lessons.length === 0 && <li class="muted" data-testid="no-upcoming">{t("timetable.noUpcoming")}</li>}
      </ul>
    </form>
  );
}
