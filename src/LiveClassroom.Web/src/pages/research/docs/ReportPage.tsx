import { useState } from "preact/hooks";
import { t, formatDateTime } from "../../../i18n";
import { api, session } from "../../../api/session";
import { errorText } from "../../../api/client";
import { Notice } from "../../../components/Notice";
import { linkClick } from "../../../router";
import { getReport, getReportHtml, type LessonReport } from "../../../api/researchDocs";
import { DocsLayout, Fact, LoadState, stageLabel, useLoad } from "./DocsLayout";
import { ScoreTable } from "./ScoreTable";
import { ReportComments } from "./ReportComments";

/** 评课报告: the aggregated rubric scores and the timestamped comments of one lesson. */
export function ReportPage({ sessionId, lessonId }: { sessionId: string; lessonId: string }) {
  const { data: report, error } = useLoad(() => getReport(api, sessionId, lessonId), [sessionId, lessonId]);
  return (
    <DocsLayout>
      {!report ? <LoadState error={error} /> : <Report report={report} sessionId={sessionId} lessonId={lessonId} />}
    </DocsLayout>
  );
}

function Report({ report, sessionId, lessonId }: { report: LessonReport; sessionId: string; lessonId: string }) {
  const s = report.scores;
  const chapter = report.lesson.chapter;
  const compareHref = `/research/${encodeURIComponent(sessionId)}/compare${chapter ? `?chapter=${encodeURIComponent(chapter)}` : ""}`;
  return (
    <article aria-labelledby="report-title" data-testid="report">
      <div class="page-head">
        <h1 id="report-title">{t("researchDocs.report.title", { lesson: report.lesson.title })}</h1>
        <PrintButton sessionId={sessionId} lessonId={lessonId} />
      </div>
      <section class="panel" aria-label={t("researchDocs.report.about")}>
        <dl class="rdocs-facts">
          <Fact label={t("researchDocs.session")}>{report.sessionTitle}</Fact>
          <Fact label={t("researchDocs.subject")}>{report.subject || "—"}</Fact>
          <Fact label={t("researchDocs.stage")}>{stageLabel(report.stage)}</Fact>
          <Fact label={t("researchDocs.lesson")}>{report.lesson.title}</Fact>
          <Fact label={t("researchDocs.chapter")}>{chapter || "—"}</Fact>
          <Fact label={t("researchDocs.teacher")}>{report.lesson.teacherName || "—"}</Fact>
          <Fact label={t("researchDocs.report.rubric")}>{report.rubricName}</Fact>
          <Fact label={t("researchDocs.report.scale")}>
            {report.scaleMin}–{report.scaleMax}
          </Fact>
          <Fact label={t("researchDocs.report.sheets")} testId="sheet-count">
            {s.sheetCount}
          </Fact>
          <Fact label={t("researchDocs.report.completeness")} testId="report-complete">
            {s.complete ? (
              <span class="badge live">{t("researchDocs.report.complete")}</span>
            ) : (
              <span class="badge hand">{t("researchDocs.report.incomplete")}</span>
            )}
          </Fact>
        </dl>
        <p class="hint">
          {t("researchDocs.report.generated", { time: formatDateTime(report.generatedAt) })}
          {" · "}
          <a href={compareHref} onClick={linkClick} data-testid="link-compare">
            {t("researchDocs.report.compare", { chapter: chapter || t("researchDocs.compare.allChapters") })}
          </a>
        </p>
      </section>

      <section class="panel" aria-labelledby="report-scores">
        <h2 id="report-scores">{t("researchDocs.report.scores")}</h2>
        <ScoreTable report={report} detailed />
      </section>

      <section class="panel" aria-labelledby="report-comments">
        <h2 id="report-comments">
          {t("researchDocs.report.comments")} <span class="count">({report.comments.length})</span>
        </h2>
        <ReportComments report={report} />
      </section>
    </article>
  );
}

/**
 * The printable page needs the bearer token, so it cannot be a plain link: fetch it and open it as a blob URL.
 * The tab is opened inside the click (before the await) so pop-up blockers let it through.
 */
function PrintButton({ sessionId, lessonId }: { sessionId: string; lessonId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function print() {
    setError(null);
    setBusy(true);
    const tab = window.open("", "_blank");
    try {
      const html = await getReportHtml(session.token(), sessionId, lessonId);
      const url = URL.createObjectURL(new Blob([html], { type: "text/html;charset=utf-8" }));
      if (tab) tab.location.href = url;
      else printInFrame(url);
      setTimeout(() => URL.revokeObjectURL(url), 120_000);
    } catch (e) {
      tab?.close();
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="rdocs-print">
      <button type="button" class="secondary" data-testid="btn-print" disabled={busy} onClick={() => void print()}>
        {t("researchDocs.report.print")}
      </button>
      <Notice text={error} />
    </div>
  );
}

/** When no tab could be opened: load the page into a hidden frame and print from there. */
function printInFrame(url: string) {
  const frame = document.createElement("iframe");
  frame.className = "rdocs-print-frame";
  frame.title = t("researchDocs.report.print");
  frame.src = url;
  frame.onload = () => {
    frame.contentWindow?.print();
    setTimeout(() => frame.remove(), 60_000);
  };
  document.body.appendChild(frame);
}
