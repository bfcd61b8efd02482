import { useRef, useState } from "preact/hooks";
import { ActionKey } from "../../../api/actionKey";
import { t, formatDateTime } from "../../../i18n";
import { api } from "../../../api/session";
import { errorText } from "../../../api/client";
import { Notice } from "../../../components/Notice";
import { addPlanComment, paragraphs, type PlanComment, type PlanVersion } from "../../../api/researchDocs";

/**
 * The latest saved version paragraph by paragraph (paragraphs are separated by blank lines, as the server counts
 * them), each with its comments beside it and a form to add one. Comments on the whole plan or on earlier versions
 * (whose paragraph numbers may no longer match) are listed after.
 */
export function PlanParagraphs({ planId, latest, comments, onChanged }: { planId: string; latest: PlanVersion; comments: PlanComment[]; onChanged: () => void }) {
  const paras = paragraphs(latest.body ?? "");
  const here = (i: number) => comments.filter((c) => c.version === latest.version && c.paragraph === i);
  const other = comments.filter((c) => c.version !== latest.version || c.paragraph === null || c.paragraph >= paras.length);
  return (
    <section class="panel" aria-labelledby="plan-paras-title">
      <h2 id="plan-paras-title">{t("researchDocs.plan.discussion", { version: latest.version })}</h2>
      {paras.length === 0 && <p class="muted">{t("researchDocs.plan.empty")}</p>}
      <ol class="rdocs-paras">
        {paras.map((p, i) => (
          <li key={`${latest.version}-${i}`} class="rdocs-para" data-testid="plan-paragraph" data-paragraph={i}>
            <div class="rdocs-para-text">{p}</div>
            <div class="rdocs-para-side">
              <CommentList comments={here(i)} />
              <CommentForm planId={planId} version={latest.version} paragraph={i} onAdded={onChanged} />
            </div>
          </li>
        ))}
      </ol>
      <h3>{t("researchDocs.plan.otherComments")}</h3>
      <CommentList comments={other} showAnchor />
      <CommentForm planId={planId} version={latest.version} paragraph={null} onAdded={onChanged} />
    </section>
  );
}

function CommentList({ comments, showAnchor }: { comments: PlanComment[]; showAnchor?: boolean }) {
  if (comments.length === 0) return showAnchor ? <p class="muted">{t("researchDocs.noComments")}</p> : null;
  return (
    <ul class="rdocs-plan-comments">
      {comments.map((c) => (
        <li key={c.id} data-testid="plan-comment" data-version={c.version} data-paragraph={c.paragraph ?? ""}>
          <div class="chat-meta">
            <strong>{c.authorName}</strong>
            <span>{formatDateTime(c.createdAt)}</span>
            {showAnchor && (
              <span class="badge">
                {c.paragraph === null
                  ? t("researchDocs.plan.anchorPlan", { version: c.version })
                  : t("researchDocs.plan.anchorParagraph", { version: c.version, paragraph: c.paragraph + 1 })}
              </span>
            )}
          </div>
          <p class="chat-text">{c.body}</p>
        </li>
      ))}
    </ul>
  );
}

function CommentForm({ planId, version, paragraph, onAdded }: { planId: string; version: number; paragraph: number | null; onAdded: () => void }) {
  const [open, setOpen] = useState(paragraph === null);
  const [body, setBody] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Same key on a resend of the same comment (Idempotency-Key): it is stored once.
  const actionKey = useRef(new ActionKey()).current;
  const id = `plan-comment-${paragraph ?? "plan"}`;
  const label = paragraph === null ? t("researchDocs.plan.commentPlan") : t("researchDocs.plan.commentParagraph", { paragraph: paragraph + 1 });

  if (!open)
    return (
      <button type="button" class="small secondary" data-testid="btn-plan-comment-open" onClick={() => setOpen(true)} aria-label={label}>
        {t("researchDocs.plan.comment")}
      </button>
    );

  async function submit(e: Event) {
    e.preventDefault();
    if (!body.trim()) return setError(t("validation.required"));
    setBusy(true);
    setError(null);
    try {
      await addPlanComment(api, planId, version, paragraph, body.trim(), actionKey.for([planId, version, paragraph, body.trim()]));
      actionKey.done();
      setBody("");
      if (paragraph !== null) setOpen(false);
      onAdded();
    } catch (x) {
      setError(errorText(x));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="rdocs-comment-form" onSubmit={submit} data-testid="plan-comment-form">
      <label for={id}>{label}</label>
      <textarea id={id} rows={2} maxLength={4000} value={body} data-testid="plan-comment-body" onInput={(e) => setBody(e.currentTarget.value)} />
      <Notice text={error} />
      <div class="toolbar">
        <button type="submit" class="small primary" data-testid="btn-plan-comment" disabled={busy}>{t("researchDocs.plan.addComment")}</button>
        {paragraph !== null && (
          <button type="button" class="small secondary" onClick={() => setOpen(false)}>{t("common.cancel")}</button>
        )}
      </div>
    </form>
  );
}
