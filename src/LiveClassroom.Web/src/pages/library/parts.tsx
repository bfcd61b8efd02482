import { useEffect, useState } from "preact/hooks";
import { t, formatDateTime, type MessageKey } from "../../i18n";
import { hasRole, session } from "../../api/session";
import { authorisedBlobUrl, formatDuration, type Resource, type Review } from "../../api/library";
import { linkClick } from "../../router";

/** Admin roles that review at county level and take resources down. */
export const upperAdminRoles = ["county_admin", "city_admin", "province_admin"];
export const isUpperAdmin = () => hasRole(session.person(), ...upperAdminRoles);

export function StatusBadge({ status }: { status: Resource["status"] }) {
  return (
    <span class={`badge status-${status}`} data-testid="resource-status" data-status={status}>
      {t(`library.status.${status}` as MessageKey)}
    </span>
  );
}

/** 学段 · 年级 · 学科 · 教材版本 · 章节, whatever is filled in. */
export function metaLine(r: Pick<Resource, "stage" | "grade" | "subject" | "textbookEdition" | "chapter">): string {
  return [r.stage, r.grade, r.subject, r.textbookEdition, r.chapter].filter(Boolean).join(" · ");
}

/** A library file fetched with the token as a blob URL (revoked when the path changes or the component goes); null until loaded. */
export function useBlobUrl(path: string): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    let made: string | null = null;
    let cancelled = false;
    setUrl(null);
    authorisedBlobUrl(path).then((u) => {
      if (cancelled) URL.revokeObjectURL(u);
      else setUrl((made = u));
    }, () => {});
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [path]);
  return url;
}

/** The poster, fetched with the token (an <img> cannot send it). */
export function Poster({ resource }: { resource: Resource }) {
  const url = useBlobUrl(resource.urls.poster);
  return url ? <img class="poster" src={url} alt="" /> : <div class="poster empty" aria-hidden="true" />;
}

/** A published resource in the library's result list. */
export function ResourceCard({ r, extra }: { r: Resource; extra?: string }) {
  const href = `/library/${encodeURIComponent(r.id)}`;
  return (
    <li class="resource-card card" data-testid="resource-card" data-resource={r.id}>
      <a href={href} onClick={linkClick} class="poster-link" tabIndex={-1} aria-hidden="true">
        <Poster resource={r} />
      </a>
      <div class="resource-body">
        <a href={href} onClick={linkClick} class="resource-title" data-testid="resource-title">{r.title}</a>
        <span class="muted">{metaLine(r)}</span>
        <span class="muted">{[r.teacherName, r.schoolName].filter(Boolean).join(" · ")}</span>
        <span class="muted">{formatDuration(r.durationSeconds)}{extra ? ` · ${extra}` : ""}</span>
      </div>
    </li>
  );
}

export function ReviewHistory({ reviews }: { reviews: Review[] }) {
  if (reviews.length === 0) return <p class="muted">{t("library.review.noHistory")}</p>;
  return (
    <ol class="review-history" data-testid="review-history">
      {reviews.map((v, i) => (
        <li key={i}>
          <strong>{t(`library.step.${v.step}` as MessageKey)}</strong> · {t(`library.decision.${v.decision}` as MessageKey)}
          {" · "}{v.reviewerName ?? ""} · {formatDateTime(v.createdAt)}
          {v.reason && <p class="reason">{v.reason}</p>}
        </li>
      ))}
    </ol>
  );
}
