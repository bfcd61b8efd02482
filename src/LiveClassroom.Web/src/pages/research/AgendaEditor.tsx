import { t } from "../../i18n";
import { segmentKinds, type SegmentInput, type SegmentKind } from "../../api/research";
import { segmentKindLabel } from "./util";

/** Rows of segment kind + title + minutes; the server checks 1–20 rows of 1–480 minutes. */
export function AgendaEditor({ rows, onChange, error }: { rows: SegmentInput[]; onChange: (rows: SegmentInput[]) => void; error?: string | null }) {
  const set = (i: number, patch: Partial<SegmentInput>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const move = (i: number, d: number) => {
    const next = [...rows];
    [next[i], next[i + d]] = [next[i + d], next[i]];
    onChange(next);
  };
  const total = rows.reduce((n, r) => n + (Number(r.plannedMinutes) || 0), 0);
  return (
    <fieldset class={`agenda-editor${error ? " invalid" : ""}`} data-testid="agenda-editor" aria-describedby={error ? "schedule-segments-error" : undefined}>
      <legend>{t("research.agenda")} <span class="muted">{t("research.totalMinutes", { n: total })}</span></legend>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">{t("research.segmentKind")}</th>
            <th scope="col">{t("research.segmentTitle")}</th>
            <th scope="col">{t("research.plannedMinutes")}</th>
            <th scope="col"><span class="sr-only">{t("common.actions")}</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} data-testid="agenda-row">
              <td>{i + 1}</td>
              <td>
                <select aria-label={t("research.segmentKindN", { n: i + 1 })} value={r.kind} onChange={(e) => set(i, { kind: e.currentTarget.value as SegmentKind })}>
                  {segmentKinds.map((k) => (
                    <option key={k} value={k}>{segmentKindLabel(k)}</option>
                  ))}
                </select>
              </td>
              <td>
                <input aria-label={t("research.segmentTitleN", { n: i + 1 })} value={r.title ?? ""} maxLength={100} onInput={(e) => set(i, { title: e.currentTarget.value })} />
              </td>
              <td>
                <input type="number" min={1} max={480} class="minutes" aria-label={t("research.plannedMinutesN", { n: i + 1 })} value={r.plannedMinutes}
                  onInput={(e) => set(i, { plannedMinutes: Number(e.currentTarget.value) })} />
              </td>
              <td class="actions">
                <button type="button" class="small secondary" disabled={i === 0} onClick={() => move(i, -1)} aria-label={t("research.moveUp", { n: i + 1 })}>↑</button>
                <button type="button" class="small secondary" disabled={i === rows.length - 1} onClick={() => move(i, 1)} aria-label={t("research.moveDown", { n: i + 1 })}>↓</button>
                <button type="button" class="small secondary" disabled={rows.length <= 1} onClick={() => onChange(rows.filter((_, j) => j !== i))}
                  aria-label={t("research.removeSegment", { n: i + 1 })}>
                  {t("common.remove")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="small secondary" disabled={rows.length >= 20}
        onClick={() => onChange([...rows, { kind: "free", title: segmentKindLabel("free"), plannedMinutes: 10 }])}>
        {t("research.addSegment")}
      </button>
      {error && <p class="field-error" id="schedule-segments-error" role="alert">{error}</p>}
    </fieldset>
  );
}
