import { useState } from "preact/hooks";
import { t, formatDateTime } from "../../i18n";
import { errorText } from "../../api/client";
import { formatDuration, library, stages, type Resource, type ResourcePatch } from "../../api/library";
import { useLoad } from "../research/docs/DocsLayout";
import { TopBar } from "../../components/TopBar";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { linkClick } from "../../router";
import { StatusBadge, metaLine } from "./parts";
import { UnfinishedList } from "./UnfinishedList";

/** 我的录课: every resource of my school in every status; drafts and rejected ones are edited and submitted here. */
export function MinePage() {
  const { data, error, reload } = useLoad(library.mine, []);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <>
      <TopBar />
      <main class="page" data-testid="mine-page">
        <h1>{t("library.mine.title")}</h1>
        <p class="muted">{t("library.mine.hint")}</p>
        <UnfinishedList onReady={reload} />
        <Notice text={error} testId="mine-error" />
        {data && data.length === 0 && <p class="empty" data-testid="mine-empty">{t("library.mine.empty")}</p>}
        {data && data.length > 0 && (
          <ul class="lesson-list">
            {data.map((r) => (
              <li key={r.id} class="card mine-item" data-testid="mine-item" data-resource={r.id} data-recording={r.recordingId}>
                <div class="mine-head">
                  <div class="lesson-main">
                    <a href={`/library/${encodeURIComponent(r.id)}`} onClick={linkClick} data-testid="mine-title">{r.title}</a>
                    <span class="muted">{metaLine(r) || t("library.mine.noMeta")}</span>
                    <span class="muted">{formatDuration(r.durationSeconds)} · {formatDateTime(r.createdAt)}</span>
                  </div>
                  <StatusBadge status={r.status} />
                  {(r.status === "draft" || r.status === "rejected") && (
                    <button type="button" class="secondary" data-testid="mine-edit" aria-expanded={open === r.id}
                      onClick={() => setOpen(open === r.id ? null : r.id)}>
                      {t("library.mine.edit")}
                    </button>
                  )}
                </div>
                {r.lastReason && (r.status === "rejected" || r.status === "taken_down") && (
                  <p class="notice error" data-testid="mine-reason">{t("library.mine.reason", { reason: r.lastReason })}</p>
                )}
                {open === r.id && <EditForm r={r} onDone={() => { setOpen(null); reload(); }} />}
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}

const fields = ["title", "grade", "subject", "textbookEdition", "chapter"] as const;

function EditForm({ r, onDone }: { r: Resource; onDone: () => void }) {
  const [form, setForm] = useState<Required<ResourcePatch>>({
    title: r.title, stage: r.stage ?? "", grade: r.grade ?? "", subject: r.subject ?? "", textbookEdition: r.textbookEdition ?? "", chapter: r.chapter ?? "",
  });
  const [titleError, setTitleError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(submit: boolean) {
    if (!form.title.trim()) {
      setTitleError(t("library.mine.titleRequired"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const patch: ResourcePatch = { title: form.title.trim() };
      for (const k of ["stage", "grade", "subject", "textbookEdition", "chapter"] as const) if (form[k]?.trim()) patch[k] = form[k]!.trim();
      await library.patch(r.id, patch);
      if (submit) await library.submit(r.id);
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const id = (k: string) => `edit-${k}-${r.id}`;
  return (
    <form class="edit-form" onSubmit={(e) => { e.preventDefault(); void save(true); }} data-testid="mine-form">
      <div class="form-grid">
        <Field id={id("stage")} label={t("library.field.stage")}>
          <select {...inputProps(id("stage"))} data-testid="edit-stage" value={form.stage ?? ""} onChange={(e) => setForm({ ...form, stage: e.currentTarget.value })}>
            <option value="">{t("library.any")}</option>
            {stages.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </Field>
        {fields.map((k) => (
          <Field key={k} id={id(k)} label={t(`library.field.${k}`)} error={k === "title" ? titleError : null}>
            <input {...inputProps(id(k), k === "title" ? titleError : null)} data-testid={`edit-${k}`} value={form[k] ?? ""} maxLength={200}
              onInput={(e) => {
                setForm({ ...form, [k]: e.currentTarget.value });
                if (k === "title") setTitleError(null);
              }} />
          </Field>
        ))}
      </div>
      <div class="toolbar">
        <button type="button" class="secondary" data-testid="edit-save" disabled={busy} onClick={() => void save(false)}>{t("library.mine.save")}</button>
        <button type="submit" class="primary" data-testid="edit-submit" disabled={busy}>
          {t(r.status === "rejected" ? "library.mine.resubmit" : "library.mine.submit")}
        </button>
      </div>
      <Notice text={error} testId="edit-error" />
    </form>
  );
}
