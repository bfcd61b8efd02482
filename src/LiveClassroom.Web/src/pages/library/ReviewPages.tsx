import { useState } from "preact/hooks";
import { t, formatDateTime } from "../../i18n";
import { library, type Resource } from "../../api/library";
import { useLoad } from "../research/docs/DocsLayout";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { linkClick } from "../../router";
import { Player } from "./Player";
import { DecisionForm, TakedownForm } from "./ReviewActions";
import { ReviewHistory, StatusBadge, isUpperAdmin, metaLine } from "./parts";
import { notifyQueueChanged } from "./ReviewNavLink";

const reviewHref = (id: string) => `/review/${encodeURIComponent(id)}`;

/** 审核: what the caller can decide now, newest first. */
export function ReviewQueuePage() {
  const { data, error } = useLoad(library.queue, []);
  return (
    <>
      <TopBar />
      <main class="page" data-testid="review-queue-page">
        <h1>{t("library.review.queue")}{data && <span class="count"> ({data.length})</span>}</h1>
        <Notice text={error} testId="queue-error" />
        {data && data.length === 0 && <p class="empty" data-testid="queue-empty">{t("library.review.empty")}</p>}
        {data && data.length > 0 && (
          <ul class="lesson-list">
            {data.map((r) => (
              <li key={r.id} class="card queue-item" data-testid="queue-item" data-resource={r.id}>
                <div class="lesson-main">
                  <a href={reviewHref(r.id)} onClick={linkClick} data-testid="queue-open">{r.title}</a>
                  <span class="muted">{metaLine(r)}</span>
                  <span class="muted">{[r.teacherName, r.schoolName, r.submittedAt ? formatDateTime(r.submittedAt) : null].filter(Boolean).join(" · ")}</span>
                </div>
                <StatusBadge status={r.status} />
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}

/** One resource under review: the player with chapters, metadata, history, 通过 / 退回; then on to the next item. */
export function ReviewPage({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => library.get(id), [id]);
  const [decided, setDecided] = useState<Resource | null>(null);
  const [following, setFollowing] = useState<Resource | null | undefined>(undefined);

  async function next(r: Resource) {
    setDecided(r);
    notifyQueueChanged();
    const queue = await library.queue().catch(() => [] as Resource[]);
    setFollowing(queue.find((q) => q.id !== id) ?? null);
  }

  const r = data?.resource;
  const decidable = r && (r.status === "pending_school" || r.status === "pending_county") && !decided;
  return (
    <>
      <TopBar />
      <main class="page wide" data-testid="review-page">
        <p><a href="/review" onClick={linkClick}>{t("library.review.back")}</a></p>
        <Notice text={error} testId="review-load-error" />
        {decided && <Notice kind="info" text={t("library.review.done", { title: decided.title })} testId="review-done" />}
        {decided && following && (
          <p><a href={reviewHref(following.id)} onClick={linkClick} data-testid="review-next">{t("library.review.next", { title: following.title })}</a></p>
        )}
        {decided && following === null && <p class="muted" data-testid="review-queue-done">{t("library.review.empty")}</p>}
        {r && data && (
          <>
            <div class="page-head">
              <h1 data-testid="review-title">{r.title}</h1>
              <StatusBadge status={decided?.status ?? r.status} />
            </div>
            <dl class="meta-list">
              <dt>{t("library.field.meta")}</dt><dd>{metaLine(r) || "—"}</dd>
              <dt>{t("library.teacher")}</dt><dd>{[r.teacherName, r.schoolName].filter(Boolean).join(" · ")}</dd>
            </dl>
            <Player key={r.id} resource={r} chapters={data.chapters} report={false} />
            {decidable && <DecisionForm key={r.id} id={r.id} onDone={(x) => void next(x)} />}
            {r.status === "published" && isUpperAdmin() && <TakedownForm id={r.id} onDone={reload} />}
            <section class="panel">
              <h2>{t("library.review.history")}</h2>
              <ReviewHistory reviews={data.reviews ?? []} />
            </section>
          </>
        )}
      </main>
    </>
  );
}
