import { useState } from "preact/hooks";
import { t, formatDateTime } from "../../../i18n";
import { api } from "../../../api/session";
import { errorText } from "../../../api/client";
import { Notice } from "../../../components/Notice";
import { getPlanDiff, type PlanDiff, type PlanVersion } from "../../../api/researchDocs";
import { DiffView } from "./DiffView";

/** Every saved version (who, when, why) and the diff between any two of them. */
export function PlanVersions({ planId, versions }: { planId: string; versions: PlanVersion[] }) {
  const newest = versions.length ? versions[versions.length - 1].version : 0;
  const [from, setFrom] = useState(Math.max(1, newest - 1));
  const [to, setTo] = useState(newest);
  const [diff, setDiff] = useState<PlanDiff | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function compare(a: number, b: number) {
    setFrom(a);
    setTo(b);
    setError(null);
    setBusy(true);
    try {
      setDiff(await getPlanDiff(api, planId, a, b));
    } catch (e) {
      setDiff(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel rdocs-versions" aria-labelledby="plan-versions-title">
      <h2 id="plan-versions-title">
        {t("researchDocs.plan.versions")} <span class="count">({versions.length})</span>
      </h2>
      <div class="rdocs-table-scroll">
      <table class="data">
        <caption class="sr-only">{t("researchDocs.plan.versions")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("researchDocs.plan.version")}</th>
            <th scope="col">{t("researchDocs.plan.author")}</th>
            <th scope="col">{t("researchDocs.plan.savedAt")}</th>
            <th scope="col">{t("researchDocs.plan.summary")}</th>
            <th scope="col"><span class="sr-only">{t("common.actions")}</span></th>
          </tr>
        </thead>
        <tbody>
          {[...versions].reverse().map((v) => (
            <tr key={v.version} data-testid="plan-version" data-version={v.version}>
              <th scope="row">v{v.version}</th>
              <td>{v.authorName}</td>
              <td>{formatDateTime(v.createdAt)}</td>
              <td>{v.summary || <span class="muted">—</span>}</td>
              <td>
                {v.version > 1 && (
                  <button type="button" class="small secondary" onClick={() => void compare(v.version - 1, v.version)}
                    aria-label={t("researchDocs.plan.changesOf", { version: v.version })}>
                    {t("researchDocs.plan.changes")}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
      {versions.length > 1 && (
        <form class="row-form rdocs-diff-form" onSubmit={(e) => (e.preventDefault(), void compare(from, to))}>
          <div class="field">
            <label for="diff-from">{t("researchDocs.diff.from")}</label>
            <select id="diff-from" data-testid="diff-from" value={from} onChange={(e) => setFrom(Number(e.currentTarget.value))}>
              {versions.map((v) => <option key={v.version} value={v.version}>v{v.version}</option>)}
            </select>
          </div>
          <div class="field">
            <label for="diff-to">{t("researchDocs.diff.to")}</label>
            <select id="diff-to" data-testid="diff-to" value={to} onChange={(e) => setTo(Number(e.currentTarget.value))}>
              {versions.map((v) => <option key={v.version} value={v.version}>v{v.version}</option>)}
            </select>
          </div>
          <button type="submit" class="secondary" data-testid="btn-diff" disabled={busy}>{t("researchDocs.diff.show")}</button>
        </form>
      )}
      <Notice text={error} />
      {diff && <DiffView diff={diff} />}
    </section>
  );
}
