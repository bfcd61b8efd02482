import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { session as auth } from "../../api/session";
import { ApiError } from "../../api/client";
import { research, sessionKinds, stages, type ResearchSession, type RubricTemplate, type ScheduleRequest, type SegmentInput, type SessionKind, type Stage } from "../../api/research";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { AgendaEditor } from "./AgendaEditor";
import { Invitations, emptyInvites, invitationsOf, usePeople, type InviteState } from "./Invitations";
import { failText, kindLabel, segmentKindLabel, stageLabel } from "./util";

const defaultTemplate = "00000000-0000-7000-8000-00000000a001";

function defaultAgenda(): SegmentInput[] {
  return [
    { kind: "lesson_talk", title: segmentKindLabel("lesson_talk"), plannedMinutes: 15 },
    { kind: "observe", title: segmentKindLabel("observe"), plannedMinutes: 40 },
    { kind: "review", title: segmentKindLabel("review"), plannedMinutes: 30 },
    { kind: "summary", title: segmentKindLabel("summary"), plannedMinutes: 10 },
  ];
}

/** Tomorrow 14:30 local time, as a datetime-local value. */
function defaultStart(): string {
  const d = new Date(Date.now() + 86400000);
  d.setHours(14, 30, 0, 0);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Which form field a server code (invalid_<field>, unknown_…, duplicate_…) belongs to. */
function fieldOf(code: string): string | null {
  if (code.startsWith("invalid_segments")) return "segments";
  if (code.startsWith("invalid_invitation") || code === "unknown_person" || code === "unknown_school" || code === "duplicate_invitation") return "invitations";
  if (code === "unknown_template") return "rubricTemplateId";
  if (code === "unknown_host") return "hostId";
  if (code.startsWith("invalid_")) return code.slice("invalid_".length).split(".")[0];
  return null;
}

type Errors = Record<string, string | null>;

/** Schedules a session (researchers and admins; anyone else sees the server's refusal). */
export function ScheduleForm({ onCreated }: { onCreated: (s: ResearchSession) => void }) {
  const me = auth.person();
  const people = usePeople();
  const [templates, setTemplates] = useState<RubricTemplate[]>([]);
  const [v, setV] = useState({
    title: "", kind: "lesson_review" as SessionKind, subject: "", stage: "primary" as Stage, grade: "", chapter: "",
    scheduledStart: defaultStart(), rubricTemplateId: defaultTemplate, speakerTurnSeconds: "300", hostId: "",
  });
  const [segments, setSegments] = useState<SegmentInput[]>(defaultAgenda);
  const [invites, setInvites] = useState<InviteState>(emptyInvites);
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });

  useEffect(() => {
    research.templates().then(setTemplates, (e) => setFailure(failText(e)));
  }, []);

  async function submit(e: Event) {
    e.preventDefault();
    setFailure(null);
    setErrors({});
    const start = v.scheduledStart ? new Date(v.scheduledStart) : null;
    const turn = v.speakerTurnSeconds.trim() === "" ? undefined : Number(v.speakerTurnSeconds);
    const req: ScheduleRequest & { hostId?: string } = {
      title: v.title,
      kind: v.kind,
      subject: v.subject,
      stage: v.stage,
      grade: v.grade || undefined,
      chapter: v.chapter || undefined,
      // The server checks everything and names the field; an empty start is sent as missing.
      scheduledStart: start && !Number.isNaN(start.getTime()) ? start.toISOString() : (undefined as unknown as string),
      speakerTurnSeconds: turn,
      rubricTemplateId: v.rubricTemplateId || undefined,
      segments: segments.map((s) => ({ kind: s.kind, title: s.title?.trim() || undefined, plannedMinutes: s.plannedMinutes })),
      invitations: invitationsOf(invites),
      hostId: v.hostId || undefined,
    };
    setBusy(true);
    try {
      const created = await research.schedule(req);
      setV({ ...v, title: "", chapter: "" });
      setInvites(emptyInvites);
      onCreated(created);
    } catch (err) {
      const field = err instanceof ApiError ? fieldOf(err.code) : null;
      if (field) {
        setErrors({ [field]: failText(err) });
        document.getElementById(`schedule-${field}`)?.focus();
      } else setFailure(failText(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (k: "title" | "subject" | "grade" | "chapter", max: number) => (
    <Field id={`schedule-${k}`} label={t(`research.field.${k}`)} error={errors[k]}>
      <input {...inputProps(`schedule-${k}`, errors[k])} name={k} value={v[k]} maxLength={max} onInput={set(k)} />
    </Field>
  );

  return (
    <form class="panel form-grid schedule-form" noValidate onSubmit={submit} aria-labelledby="schedule-form-title" data-testid="research-schedule-form">
      <h2 id="schedule-form-title">{t("research.schedule")}</h2>
      {input("title", 200)}
      <Field id="schedule-kind" label={t("research.field.kind")} error={errors.kind}>
        <select {...inputProps("schedule-kind", errors.kind)} name="kind" value={v.kind} onChange={set("kind")}>
          {sessionKinds.map((k) => (
            <option key={k} value={k}>{kindLabel(k)}</option>
          ))}
        </select>
      </Field>
      {input("subject", 50)}
      <Field id="schedule-stage" label={t("research.field.stage")} error={errors.stage}>
        <select {...inputProps("schedule-stage", errors.stage)} name="stage" value={v.stage} onChange={set("stage")}>
          {stages.map((s) => (
            <option key={s} value={s}>{stageLabel(s)}</option>
          ))}
        </select>
      </Field>
      {input("grade", 50)}
      {input("chapter", 200)}
      <Field id="schedule-scheduledStart" label={t("research.field.scheduledStart")} error={errors.scheduledStart}>
        <input {...inputProps("schedule-scheduledStart", errors.scheduledStart)} name="scheduledStart" type="datetime-local" value={v.scheduledStart} onInput={set("scheduledStart")} />
      </Field>
      <Field id="schedule-rubricTemplateId" label={t("research.field.rubric")} error={errors.rubricTemplateId}>
        <select {...inputProps("schedule-rubricTemplateId", errors.rubricTemplateId)} name="rubricTemplateId" value={v.rubricTemplateId} onChange={set("rubricTemplateId")}>
          {templates.length === 0 && <option value={defaultTemplate}>{t("common.loading")}</option>}
          {templates.map((tp) => (
            <option key={tp.id} value={tp.id}>{tp.name}（{tp.rubric.scaleMin}–{tp.rubric.scaleMax}）</option>
          ))}
        </select>
      </Field>
      <Field id="schedule-speakerTurnSeconds" label={t("research.field.speakerTurnSeconds")} error={errors.speakerTurnSeconds} hint={t("research.turnHint")}>
        <input {...inputProps("schedule-speakerTurnSeconds", errors.speakerTurnSeconds)} name="speakerTurnSeconds" type="number" min={10} max={7200}
          value={v.speakerTurnSeconds} onInput={set("speakerTurnSeconds")} />
      </Field>
      {people && people.length > 0 && (
        <Field id="schedule-hostId" label={t("research.field.host")} error={errors.hostId}>
          <select {...inputProps("schedule-hostId", errors.hostId)} name="hostId" value={v.hostId} onChange={set("hostId")}>
            <option value="">{t("research.hostMe", { name: me?.displayName ?? "" })}</option>
            {people.filter((p) => p.id !== me?.id).map((p) => (
              <option key={p.id} value={p.id}>{p.displayName}</option>
            ))}
          </select>
        </Field>
      )}
      <AgendaEditor rows={segments} onChange={setSegments} error={errors.segments} />
      <Invitations value={invites} onChange={setInvites} error={errors.invitations} people={people} />
      <Notice text={failure} testId="schedule-error" />
      <button type="submit" class="primary" data-testid="btn-schedule" disabled={busy}>{t("research.scheduleSubmit")}</button>
    </form>
  );
}
