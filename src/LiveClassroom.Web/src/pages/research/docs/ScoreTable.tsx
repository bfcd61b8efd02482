import { t } from "../../../i18n";
import { formatFigure, type LessonReport } from "../../../api/researchDocs";

/**
 * A lesson's rubric scores. Detailed (the report): count, mean with a bar on the scale, min, max, σ per criterion.
 * Compact (the comparison column): mean with its bar only.
 */
export function ScoreTable({ report, detailed }: { report: LessonReport; detailed?: boolean }) {
  const { criteria, weightedTotal } = report.scores;
  const span = report.scaleMax - report.scaleMin;
  const share = (mean: number | null) => (mean === null || span <= 0 ? 0 : Math.min(1, Math.max(0, (mean - report.scaleMin) / span)));
  return (
    <div class="rdocs-table-scroll">
    <table class="data rdocs-scores">
      <caption class="sr-only">{t("researchDocs.report.scores")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("researchDocs.criterion")}</th>
          <th scope="col">{t("researchDocs.weight")}</th>
          {detailed && <th scope="col">{t("researchDocs.count")}</th>}
          <th scope="col">{t("researchDocs.mean")}</th>
          {detailed && <th scope="col">{t("researchDocs.min")}</th>}
          {detailed && <th scope="col">{t("researchDocs.max")}</th>}
          {detailed && <th scope="col">{t("researchDocs.stdDev")}</th>}
        </tr>
      </thead>
      <tbody>
        {criteria.map((c) => (
          <tr key={c.key} data-testid="report-criterion" data-criterion={c.key}>
            <th scope="row">{c.name}</th>
            <td class="num">{formatFigure(c.weight)}</td>
            {detailed && <td class="num" data-testid="criterion-count">{c.count}</td>}
            <td>
              <div class="rdocs-mean-cell">
                <span class="num" data-testid="criterion-mean">{formatFigure(c.mean)}</span>
                <span class="rdocs-bar" aria-hidden="true">
                  <span style={{ width: `${share(c.mean) * 100}%` }} />
                </span>
              </div>
            </td>
            {detailed && <td class="num" data-testid="criterion-min">{formatFigure(c.min)}</td>}
            {detailed && <td class="num" data-testid="criterion-max">{formatFigure(c.max)}</td>}
            {detailed && <td class="num" data-testid="criterion-stddev">{formatFigure(c.stdDev)}</td>}
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={detailed ? 3 : 2}>
            {t("researchDocs.weightedTotal")}
          </th>
          <td colSpan={detailed ? 4 : 1}>
            <strong data-testid="weighted-total">{formatFigure(weightedTotal)}</strong>
            <span class="muted"> / 100</span>
          </td>
        </tr>
      </tfoot>
    </table>
    </div>
  );
}
