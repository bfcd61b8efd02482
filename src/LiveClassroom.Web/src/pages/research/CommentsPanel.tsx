import { useEffect, useRef, useState } from "preact/hooks";
import { ActionKey } from "../../api/actionKey";
import { t } from "../../i18n";
import { parseOffset, research, type LessonComment, type ResearchLesson, type Rubric } from "../../api/research";
import { formatOffset } from "../../api/researchDocs";
import { Field, inputProps } from "../../components/Field";
import type { ResearchLive } from "./ResearchLive";
import { failText, playbackPosition, useTick } from "./util";

/**
 * Timestamped comments on one lesson. While the shared video is this lesson's recording, the offset follows
 * the playback position until the user types their own (mm:ss or seconds).
 */
export function CommentsPanel({ sessionId, lesson, rubric, live, onError, readOnly }: {
  sessionId: string; lesson: ResearchLesson; rubric: Rubric; live: ResearchLive; onError: (text: string | null) => void; readOnly?: boolean;
}) {
  useTick(1000);
  const [comments, setComments] = useState<LessonComment[] | null>(null);
  const [offset, setOffset] = useState<string | null>(null); // null: follow the playback
  const [body, setBody] = useState("");
  const [criterion, setCriterion] = useState("");
  const [errors, setErrors] = useState<{ offset?: string | null; body?: string | null }>({});
  const [busy, setBusy] = useState(false);
  // One key per comment the user writes; a resend after a failure reuses it, so a comment stored by a node whose answer was lost is not stored twice.
  const actionKey = useRef(new ActionKey()).current;
  const p = live.snapshot?.playback;
  const following = !!p && !!lesson.recordingId && p.recordingId === lesson.recordingId;
  const shown = offset ?? (following ? String(Math.floor(playbackPosition(live.hub) ?? 0)) : "");

  async function load() {
    try {
      setComments(await research.comments(sessionId, lesson.id));
    } catch (e) {
      setComments([]);
      onError(failText(e));
    }
  }
  useEffect(() => {
    setComments(null);
    setOffset(null);
    void load();
  }, [sessionId, lesson.id]);

  async function submit(e: Event) {
    e.preventDefault();
    const seconds = parseOffset(shown);
    const local = {
      offset: seconds === null ? t("research.offsetInvalid") : null,
      body: body.trim() ? null : t("validation.required"),
    };
    setErrors(local);
    if (local.offset || local.body) return;
    setBusy(true);
    try {
      const comment = { offsetSeconds: seconds!, body: body.trim(), criterionKey: criterion || undefined };
      await research.addComment(sessionId, lesson.id, comment, actionKey.for([lesson.id, comment]));
      actionKey.done();
      setBody("");
      setOffset(null);
      onError(null);
      await load();
    } catch (err) {
      const text = failText(err);
      const code = (err as { code?: string }).code;
      if (code === "invalid_offsetSeconds") setErrors({ offset: text });
      else if (code === "invalid_body") setErrors({ body: text });
      onError(text);
    } finally {
      setBusy(false);
    }
  }

  const criterionName = (key?: string | null) => rubric.criteria.find((c) => c.key === key)?.name ?? key;
  return (
    <section class="comments" aria-labelledby="comments-title">
      <h3 id="comments-title">{t("research.comments")}</h3>
      {!readOnly && (
      <form class="comment-form" data-testid="comment-form" noValidate onSubmit={submit}>
        <div class="comment-row">
          <Field id="comment-offset" label={t("research.offset")} error={errors.offset} hint={following && offset === null ? t("research.offsetFollowing") : t("research.offsetHint")}>
            <input {...inputProps("comment-offset", errors.offset)} data-testid="comment-offset" value={shown} inputMode="numeric"
              placeholder="mm:ss" onInput={(e) => setOffset(e.currentTarget.value)} />
          </Field>
          <Field id="comment-criterion" label={t("research.criterion")}>
            <select id="comment-criterion" data-testid="comment-criterion" value={criterion} onChange={(e) => setCriterion(e.currentTarget.value)}>
              <option value="">{t("research.noCriterion")}</option>
              {rubric.criteria.map((c) => (
                <option key={c.key} value={c.key}>{c.name}</option>
              ))}
            </select>
          </Field>
        </div>
        <Field id="comment-body" label={t("research.commentBody")} error={errors.body}>
          <textarea {...inputProps("comment-body", errors.body)} data-testid="comment-body" rows={3} maxLength={4000} value={body}
            onInput={(e) => setBody(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="primary" data-testid="btn-comment" disabled={busy}>{t("research.postComment")}</button>
      </form>
      )}
      {comments === null ? (
        <p aria-busy="true">{t("common.loading")}</p>
      ) : (
        <>
        {comments.length === 0 && <p class="muted">{t("research.noComments")}</p>}
        <ol class="comment-list" data-testid="comment-list" aria-label={t("research.comments")}>
          {comments.map((c) => (
            <li key={c.id} data-testid="comment-item" data-offset={c.offsetSeconds}>
              <div class="chat-meta">
                <span class="badge">{formatOffset(c.offsetSeconds)}</span>
                <strong>{c.authorName}</strong>
                {c.criterionKey && <span class="badge pin">{criterionName(c.criterionKey)}</span>}
              </div>
              <p class="chat-text">{c.body}</p>
            </li>
          ))}
        </ol>
        </>
      )}
    </section>
  );
}
