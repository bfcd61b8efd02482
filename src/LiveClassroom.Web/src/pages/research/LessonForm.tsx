import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { ApiError } from "../../api/client";
import { research, type ResearchLesson } from "../../api/research";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { failText } from "./util";

/** Organisers attach a lesson to observe: a library recording or a live class (ids pasted; the server checks them). */
export function LessonForm({ sessionId, onAdded }: { sessionId: string; onAdded: (l: ResearchLesson) => void }) {
  const [open, setOpen] = useState(false);
  const [v, setV] = useState({ title: "", teacherName: "", source: "recording" as "recording" | "live", sourceId: "" });
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });

  if (!open)
    return (
      <button type="button" class="small secondary" data-testid="btn-add-lesson" onClick={() => setOpen(true)}>
        {t("research.addLesson")}
      </button>
    );

  async function submit(e: Event) {
    e.preventDefault();
    setErrors({});
    setFailure(null);
    const id = v.sourceId.trim() || undefined;
    try {
      const lesson = await research.addLesson(sessionId, {
        title: v.title,
        teacherName: v.teacherName || undefined,
        recordingId: v.source === "recording" ? id : undefined,
        liveClassId: v.source === "live" ? id : undefined,
      });
      setV({ ...v, title: "", teacherName: "", sourceId: "" });
      setOpen(false);
      onAdded(lesson);
    } catch (err) {
      const code = err instanceof ApiError ? err.code : "";
      const field = code === "invalid_title" ? "title" : code === "invalid_teacherName" ? "teacherName"
        : code === "invalid_lesson" || code === "recording_not_found" || code === "bad_json" ? "sourceId" : null;
      if (field) setErrors({ [field]: failText(err) });
      else setFailure(failText(err));
    }
  }

  return (
    <form class="lesson-form" noValidate onSubmit={submit} data-testid="lesson-form" aria-label={t("research.addLesson")}>
      <Field id="lesson-title" label={t("research.lessonTitle")} error={errors.title}>
        <input {...inputProps("lesson-title", errors.title)} value={v.title} maxLength={200} onInput={set("title")} />
      </Field>
      <Field id="lesson-teacher" label={t("research.teacherName")} error={errors.teacherName}>
        <input {...inputProps("lesson-teacher", errors.teacherName)} value={v.teacherName} maxLength={100} onInput={set("teacherName")} />
      </Field>
      <Field id="lesson-source" label={t("research.lessonSource")}>
        <select id="lesson-source" value={v.source} onChange={set("source")}>
          <option value="recording">{t("research.sourceRecording")}</option>
          <option value="live">{t("research.sourceLive")}</option>
        </select>
      </Field>
      <Field id="lesson-sourceId" label={v.source === "recording" ? t("research.recordingId") : t("research.liveClassId")} error={errors.sourceId}>
        <input {...inputProps("lesson-sourceId", errors.sourceId)} value={v.sourceId} onInput={set("sourceId")} />
      </Field>
      <Notice text={failure} />
      <div class="toolbar">
        <button type="submit" class="primary small">{t("common.add")}</button>
        <button type="button" class="secondary small" onClick={() => setOpen(false)}>{t("common.cancel")}</button>
      </div>
    </form>
  );
}
