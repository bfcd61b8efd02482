import { t } from "../../../i18n";
import { linkClick } from "../../../router";
import type { LessonReport, ReportComment } from "../../../api/researchDocs";

/**
 * A lesson's comments in lesson-time order. On the report the timecode links to the watch page (the server's
 * `link`); in a comparison column `onSeek` is given and the timecode seeks that column's video instead.
 */
export function ReportComments({ report, onSeek }: { report: LessonReport; onSeek?: (seconds: number) => void }) {
  const names = new Map(report.scores.criteria.map((c) => [c.key, c.name]));
  const comments = [...report.comments].sort((a, b) => a.offsetSeconds - b.offsetSeconds);
  if (comments.length === 0) return <p class="muted">{t("researchDocs.noComments")}</p>;
  const item = onSeek ? "compare-comment" : "report-comment";
  return (
    <ol class="rdocs-comments">
      {comments.map((c) => (
        <li key={c.id} data-testid={item} data-offset={c.offsetSeconds}>
          <div class="chat-meta">
            <Timecode comment={c} onSeek={onSeek} />
            <strong>{c.authorName}</strong>
            {c.criterionKey && <span class="badge">{names.get(c.criterionKey) ?? c.criterionKey}</span>}
          </div>
          <p class="chat-text">{c.body}</p>
        </li>
      ))}
    </ol>
  );
}

function Timecode({ comment: c, onSeek }: { comment: ReportComment; onSeek?: (seconds: number) => void }) {
  const label = t("researchDocs.playFrom", { time: c.timecode });
  if (onSeek)
    return (
      <button type="button" class="small secondary rdocs-timecode" aria-label={label} onClick={() => onSeek(c.offsetSeconds)}>
        {c.timecode}
      </button>
    );
  if (!c.link) return <span class="rdocs-timecode" data-testid="comment-timecode">{c.timecode}</span>;
  return (
    <a class="rdocs-timecode" href={c.link} onClick={linkClick} aria-label={label} data-testid="comment-link">
      {c.timecode}
    </a>
  );
}
