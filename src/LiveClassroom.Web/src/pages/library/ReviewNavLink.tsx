import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { library } from "../../api/library";
import { linkClick } from "../../router";

const listeners = new Set<() => void>();
/** A decision was made: the navigation's count reads the queue again. */
export function notifyQueueChanged(): void {
  listeners.forEach((l) => l());
}

/** 审核 in the navigation bar with the number of items the caller can decide now. */
export function ReviewNavLink() {
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    let alive = true;
    const read = () => void library.queue().then((q) => alive && setCount(q.length), () => {});
    read();
    listeners.add(read);
    return () => {
      alive = false;
      listeners.delete(read);
    };
  }, []);
  return (
    <a href="/review" onClick={linkClick} data-testid="nav-review">
      {t("library.nav.review")}
      {count !== null && count > 0 && <span class="nav-count" data-testid="review-count" aria-label={t("library.review.countLabel", { n: count })}>{count}</span>}
    </a>
  );
}
