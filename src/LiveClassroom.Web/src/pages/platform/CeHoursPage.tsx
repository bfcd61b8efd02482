import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { schoolYear, type CeCourse, type CeCredit, type CeSummary } from "../../api/ce";
import { linkClick } from "../../router";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { useLatest } from "../../components/latest";

/** 我的学时: this year's hours against the requirement, by kind, every credit with its evidence, and course choice. */
export function CeHoursPage() {
  const [year, setYear] = useState(schoolYear());
  const [summary, setSummary] = useState<CeSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const latest = useLatest();

  async function load() {
    const mine = latest();
    try {
      const summary = await api.get<CeSummary>(`/api/ce/me?year=${year}`);
      if (!mine()) return;
      setSummary(summary);
      setError(null);
    } catch (e) {
      if (!mine()) return;
      setSummary(null);
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), [year]);

  async function choose(course: CeCourse) {
    try {
      await api.send(course.enrolled ? "DELETE" : "POST", `/api/ce/courses/${course.id}/enrol`);
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  const s = summary;
  const percent = s ? Math.min(100, Math.round((s.earnedHours / s.requirement.totalHours) * 100)) : 0;
  return (
    <>
      <TopBar />
      <main class="page ce-page">
        <h1>{t("ce.title")}</h1>
        <div class="toolbar">
          <label for="ce-year">{t("ce.year")}</label>
          <select id="ce-year" value={year} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            {[schoolYear(), schoolYear() - 1, schoolYear() - 2].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <Notice text={error} />
        {s && (
          <>
            <section aria-labelledby="ce-progress-h">
              <h2 id="ce-progress-h">{t("ce.progress")}</h2>
              <p data-testid="ce-earned">
                {t("ce.earnedOf", { earned: s.earnedHours.toFixed(1), total: s.requirement.totalHours })}
                {s.behind && <strong class="warn"> {t("ce.behindBy", { hours: (s.expectedHours - s.earnedHours).toFixed(1) })}</strong>}
              </p>
              <progress max={100} value={percent} aria-label={t("ce.progress")} />
              <p class="muted">
                {t("ce.split", { required: s.requirement.requiredHours, elective: s.requirement.electiveHours })}{" "}
                {s.requirement.sourceOrganisationName ? t("ce.setBy", { name: s.requirement.sourceOrganisationName }) : t("ce.default")}
              </p>
            </section>
            <section aria-labelledby="ce-kinds-h">
              <h2 id="ce-kinds-h">{t("ce.byKind")}</h2>
              <table class="data" data-testid="ce-by-kind">
                <thead>
                  <tr>
                    <th scope="col">{t("ce.kind")}</th>
                    <th scope="col">{t("ce.hours")}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.byKind.map((k) => (
                    <tr key={k.kind} data-kind={k.kind}>
                      <th scope="row">{t(`ce.kind.${k.kind}` as MessageKey)}</th>
                      <td>{k.hours.toFixed(1)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="ce-credits-h">
              <h2 id="ce-credits-h">{t("ce.credits")}</h2>
              <table class="data" data-testid="ce-credits">
                <thead>
                  <tr>
                    <th scope="col">{t("ce.date")}</th>
                    <th scope="col">{t("ce.kind")}</th>
                    <th scope="col">{t("ce.hours")}</th>
                    <th scope="col">{t("ce.evidence")}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.credits.map((c) => (
                    <tr key={c.id}>
                      <td>{c.evidenceDate}</td>
                      <td>{t(`ce.kind.${c.kind}` as MessageKey)}</td>
                      <td>{c.hours.toFixed(1)}</td>
                      <td>{c.note ? `${c.note}（${c.createdByName ?? ""}）` : <Evidence credit={c} />}</td>
                    </tr>
                  ))}
                  {s.credits.length === 0 && (
                    <tr>
                      <td colSpan={4} class="muted">
                        {t("ce.noCredits")}
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="ce-courses-h">
              <h2 id="ce-courses-h">{t("ce.courses")}</h2>
              <p class="muted">
                {s.registrationOpen ? t("ce.registrationOpen", { date: `${s.year}-12-31` }) : t("ce.registrationClosed", { year: s.year })}
              </p>
              <table class="data" data-testid="ce-courses">
                <thead>
                  <tr>
                    <th scope="col">{t("ce.course")}</th>
                    <th scope="col">{t("ce.courseKind")}</th>
                    <th scope="col">{t("ce.hours")}</th>
                    <th scope="col">{t("common.actions")}</th>
                  </tr>
                </thead>
                <tbody>
                  {s.courses.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">
                        {c.topic ? `${c.topic} · ` : ""}
                        {c.title}
                      </th>
                      <td>{t(c.kind === "required" ? "ce.required" : "ce.elective")}</td>
                      <td>{c.hours}</td>
                      <td class="actions">
                        {c.kind === "elective" && s.registrationOpen && (
                          <button type="button" class="small secondary" onClick={() => void choose(c)}>
                            {t(c.enrolled ? "ce.drop" : "ce.enrol")}
                          </button>
                        )}
                        {c.kind === "elective" && c.enrolled && <span> {t("ce.enrolled")}</span>}
                      </td>
                    </tr>
                  ))}
                  {s.courses.length === 0 && (
                    <tr>
                      <td colSpan={4} class="muted">
                        {t("ce.noCourses")}
                      </td>
                    </tr>
                  )}
                </tbody>
              </table>
            </section>
          </>
        )}
      </main>
    </>
  );
}

/** Where a computed credit came from, linked when the product has a page for it. */
function Evidence({ credit }: { credit: CeCredit }) {
  const id = encodeURIComponent(credit.evidenceId);
  const href =
    credit.kind === "research" ? `/research/${id}` : credit.kind === "library" ? `/library/${id}` : credit.kind === "lesson_plan" ? `/lesson-plans/${id}` : null;
  const text = t("ce.evidenceOf", { kind: t(`ce.kind.${credit.kind}` as MessageKey), id: credit.evidenceId.slice(-8) });
  return href ? (
    <a href={href} onClick={linkClick}>
      {text}
    </a>
  ) : (
    <span title={credit.evidenceId}>{text}</span>
  );
}
