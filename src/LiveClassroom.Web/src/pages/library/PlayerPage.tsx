import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { errorText } from "../../api/client";
import { authorisedBlobUrl, formatDuration, library, type ResourceDetail } from "../../api/library";
import { useLoad } from "../research/docs/DocsLayout";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { Player } from "./Player";
import { ReviewHistory, StatusBadge, isUpperAdmin, metaLine } from "./parts";
import { TakedownForm } from "./ReviewActions";

/** One resource: the player with chapters, its details and statistics, star rating, MP4 download, takedown for county admins. */
export function PlayerPage({ id }: { id: string }) {
  const { data, error, reload } = useLoad(() => library.get(id), [id]);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function rate(stars: number) {
    if (!data) return;
    try {
      await library.rate(id, stars);
      reload();
      setNote(t("library.rated", { stars }));
    } catch (e) {
      setNote(errorText(e));
    }
  }

  async function download() {
    if (!data) return;
    setBusy(true);
    try {
      const url = await authorisedBlobUrl(data.resource.urls.mp4);
      const a = document.createElement("a");
      a.href = url;
      a.download = `${data.resource.title}.mp4`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setNote(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <TopBar />
      <main class="page wide" data-testid="player-page">
        {!data ? (
          error ? <p class="notice error" role="alert" data-testid="player-missing">{error}</p> : <p class="muted">{t("library.loading")}</p>
        ) : (
          <Details d={data} note={note} busy={busy} onRate={rate} onDownload={download} onChanged={reload} />
        )}
      </main>
    </>
  );
}

function Details({ d, note, busy, onRate, onDownload, onChanged }: {
  d: ResourceDetail; note: string | null; busy: boolean; onRate: (n: number) => void; onDownload: () => void; onChanged: () => void;
}) {
  const r = d.resource;
  const published = r.status === "published";
  return (
    <>
      <div class="page-head">
        <h1 data-testid="player-title">{r.title}</h1>
        {!published && <StatusBadge status={r.status} />}
      </div>
      <p class="muted">{metaLine(r)}</p>
      <p class="muted">{[r.teacherName, r.schoolName, formatDuration(r.durationSeconds)].filter(Boolean).join(" · ")}</p>
      <Player resource={r} chapters={d.chapters} report={published} />
      <section class="panel player-stats" aria-label={t("library.stats")}>
        <p data-testid="player-stats">
          {t("library.statsLine", {
            views: d.stats.views,
            rating: d.stats.ratingAverage != null ? d.stats.ratingAverage.toFixed(1) : "—",
            count: d.stats.ratingCount,
            completion: Math.round(d.stats.averageCompletion * 100),
          })}
        </p>
        {published && (
          <div class="stars" role="group" aria-label={t("library.rateLabel")}>
            {[1, 2, 3, 4, 5].map((n) => (
              <button key={n} type="button" class={`star${(d.stats.myRating ?? 0) >= n ? " on" : ""}`} data-testid={`star-${n}`}
                aria-pressed={(d.stats.myRating ?? 0) >= n} aria-label={t("library.stars", { n })} onClick={() => onRate(n)}>
                ★
              </button>
            ))}
          </div>
        )}
        <button type="button" class="secondary" data-testid="download-mp4" disabled={busy} onClick={onDownload}>
          {t("library.download")}
        </button>
        <Notice text={note} kind="info" testId="player-note" />
      </section>
      {published && isUpperAdmin() && <TakedownForm id={r.id} onDone={onChanged} />}
      {d.reviews && d.reviews.length > 0 && (
        <section class="panel">
          <h2>{t("library.review.history")}</h2>
          <ReviewHistory reviews={d.reviews} />
        </section>
      )}
    </>
  );
}
