import { useState } from "preact/hooks";
import { t, formatDateTime } from "../../../i18n";
import { api } from "../../../api/session";
import { ApiError, errorText } from "../../../api/client";
import { Notice } from "../../../components/Notice";
import { getPlan, getPlanDiff, getPlanVersion, savePlanVersion, type PlanDiff, type PlanVersion } from "../../../api/researchDocs";
import { merge3, type MergeResult } from "./merge3";
import { DiffView } from "./DiffView";

interface Conflict {
  latest: PlanVersion;
  diff: PlanDiff | null;
  diffError: string | null;
  /** Both sides' changes merged onto the newer version; null when the base could not be read or the texts are too long. */
  merged: MergeResult | null;
}

/**
 * The shared text. Saving sends the full text with the version it was edited from; when somebody saved in between
 * the server refuses (409 version_conflict, nothing stored): the user's text stays in the editor and they see what
 * the newer version changed, then merge both changes into the editor (three-way, from the version they started
 * from), reload the newer version, or save theirs on top of it.
 */
export function PlanEditor({ planId, latest, onSaved }: { planId: string; latest: PlanVersion | null; onSaved: () => void }) {
  const [text, setText] = useState(latest?.body ?? "");
  const [base, setBase] = useState(latest?.version ?? 0);
  const [summary, setSummary] = useState("");
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);

  async function save(onto: number) {
    setSaving(true);
    setError(null);
    setSaved(null);
    try {
      // Look first: a conflict found here costs no refused request (the server still refuses a race, handled below).
      const current = (await getPlan(api, planId)).latest;
      if (current && current.version > onto) return await showConflict(onto);
      const v = await savePlanVersion(api, planId, text, onto, summary.trim());
      setBase(v.version);
      setSummary("");
      setConflict(null);
      setSaved(t("researchDocs.plan.saved", { version: v.version }));
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.code === "version_conflict") await showConflict(onto);
      else setError(errorText(e));
    } finally {
      setSaving(false);
    }
  }

  async function showConflict(edited: number) {
    try {
      const newer = (await getPlan(api, planId)).latest;
      if (!newer) return;
      let diff: PlanDiff | null = null;
      let diffError: string | null = null;
      if (edited > 0 && edited !== newer.version) {
        try {
          diff = await getPlanDiff(api, planId, edited, newer.version);
        } catch (d) {
          diffError = errorText(d);
        }
      }
      let merged: MergeResult | null = null;
      if (edited > 0 && edited !== newer.version) {
        try {
          const base = await getPlanVersion(api, planId, edited);
          merged = merge3(base.body ?? "", newer.body ?? "", text, {
            theirs: t("researchDocs.plan.markerTheirs", { version: newer.version, author: newer.authorName }),
            mine: t("researchDocs.plan.markerMine"),
            end: t("researchDocs.plan.markerEnd"),
          });
        } catch {
          // Without the base version the user still has the two other choices.
        }
      }
      setConflict({ latest: newer, diff, diffError, merged });
      onSaved();
    } catch (x) {
      setError(errorText(x));
    }
  }

  function takeMerged() {
    if (!conflict?.merged) return;
    setText(conflict.merged.text);
    setBase(conflict.latest.version);
    setSaved(conflict.merged.conflicts > 0
      ? t("researchDocs.plan.mergedWithConflicts", { count: conflict.merged.conflicts })
      : t("researchDocs.plan.merged", { version: conflict.latest.version }));
    setConflict(null);
  }

  function reloadIntoEditor() {
    if (!conflict) return;
    setText(conflict.latest.body ?? "");
    setBase(conflict.latest.version);
    setConflict(null);
  }

  return (
    <section class="panel rdocs-editor" aria-labelledby="plan-editor-title">
      <h2 id="plan-editor-title">{t("researchDocs.plan.editor")}</h2>
      <p class="hint" data-testid="plan-base">
        {base > 0 ? t("researchDocs.plan.editingVersion", { version: base }) : t("researchDocs.plan.noVersion")}
      </p>
      {conflict && (
        <div class="rdocs-conflict" role="alert" data-testid="plan-conflict">
          <p>
            <strong>
              {t("researchDocs.plan.conflict", {
                version: conflict.latest.version,
                author: conflict.latest.authorName,
                time: formatDateTime(conflict.latest.createdAt),
              })}
            </strong>
          </p>
          <p>{t("researchDocs.plan.conflictKept")}</p>
          {conflict.diff ? (
            <DiffView diff={conflict.diff} testId="plan-conflict-diff" />
          ) : (
            conflict.diffError && <Notice text={conflict.diffError} />
          )}
          <div class="toolbar">
            {conflict.merged && (
              <button type="button" class="primary" data-testid="btn-conflict-merge" onClick={takeMerged}>
                {t("researchDocs.plan.mergeBoth", { version: conflict.latest.version })}
              </button>
            )}
            <button type="button" class="secondary" data-testid="btn-conflict-reload" onClick={reloadIntoEditor}>
              {t("researchDocs.plan.reloadNewer", { version: conflict.latest.version })}
            </button>
            <button type="button" class="secondary" data-testid="btn-conflict-keep" disabled={saving} onClick={() => void save(conflict.latest.version)}>
              {t("researchDocs.plan.keepMine", { version: conflict.latest.version })}
            </button>
          </div>
        </div>
      )}
      <label for="plan-editor" class="sr-only">{t("researchDocs.plan.body")}</label>
      <textarea id="plan-editor" data-testid="plan-editor" class="rdocs-textarea" rows={20} value={text} spellcheck={false}
        onInput={(e) => setText(e.currentTarget.value)} aria-describedby="plan-editor-hint" />
      <p class="hint" id="plan-editor-hint">{t("researchDocs.plan.paragraphHint")}</p>
      <div class="row-form">
        <div class="field">
          <label for="plan-summary">{t("researchDocs.plan.summary")}</label>
          <input id="plan-summary" value={summary} maxLength={500} onInput={(e) => setSummary(e.currentTarget.value)} />
        </div>
        <button type="button" class="primary" data-testid="btn-save-plan" disabled={saving} onClick={() => void save(base)}>
          {saving ? t("researchDocs.plan.saving") : t("researchDocs.plan.save")}
        </button>
      </div>
      <Notice text={error} />
      <Notice text={saved} kind="info" testId="plan-saved" />
    </section>
  );
}
