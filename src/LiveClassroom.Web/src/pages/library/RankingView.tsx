import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { library } from "../../api/library";
import { useLoad } from "../research/docs/DocsLayout";
import { Notice } from "../../components/Notice";
import { linkClick } from "../../router";


/** "Best lessons" of the ranking API: 本学期 or 近30天. */
export function RankingView() {
  const [period, setPeriod] = useState<"term" | "month">("term");
  const { data, error } = useLoad(() => library.ranking(period), [period]);
  return (
    <section aria-labelledby="ranking-title">
      <h2 id="ranking-title" class="sr-only">{t("library.ranking")}</h2>
      <div class="toolbar" role="group" aria-label={t("library.rankingPeriod")}>
        {(["term", "month"] as const).map((p) => (
          <button key={p} type="button" class={period === p ? "primary" : "secondary"} aria-pressed={period === p}
            data-testid={`ranking-${p}`} onClick={() => setPeriod(p)}>
            {t(p === "term" ? "library.rankingTerm" : "library.rankingMonth")}
          </button>
        ))}
      </div>
      <Notice text={error} testId="ranking-error" />
      {data && data.items.length === 0 && <p class="empty">{t("library.rankingEmpty")}</p>}
      {data && data.items.length > 0 && (
        <table class="ranking" data-testid="ranking">
          <thead>
            <tr>
              <th>#</th><th>{t("library.field.title")}</th><th>{t("library.teacher")}</th><th>{t("library.views")}</th>
              <th>{t("library.rating")}</th><th>{t("library.completion")}</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((r, i) => (
              <tr key={r.id} data-testid="ranking-row" data-resource={r.id}>
                <td>{i + 1}</td>
                <td><a href={`/library/${encodeURIComponent(r.id)}`} onClick={linkClick}>{r.title}</a></td>
                <td>{[r.teacherName, r.schoolName].filter(Boolean).join(" · ")}</td>
                <td>{r.views}</td>
                <td>{r.ratingAverage != null ? `${r.ratingAverage.toFixed(1)} (${r.ratingCount})` : "—"}</td>
                <td>{Math.round(r.averageCompletion * 100)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
