import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { errorText } from "../../api/client";
import { library, type Resource, type SearchFilters } from "../../api/library";
import { useLoad } from "../research/docs/DocsLayout";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { linkClick } from "../../router";
import { ResourceCard } from "./parts";
import { RankingView } from "./RankingView";

const PageSize = 12;
type Facet = "stage" | "grade" | "subject" | "textbookEdition";
const facets: Facet[] = ["stage", "grade", "subject", "textbookEdition"];

/** The filter choices are the values published resources actually carry (the first 100 of them). */
async function loadFacets(): Promise<Record<Facet, string[]>> {
  const { items } = await library.search({}, 100, 0);
  const out = { stage: [], grade: [], subject: [], textbookEdition: [] } as Record<Facet, string[]>;
  for (const f of facets) {
    out[f] = [...new Set(items.map((r) => r[f]).filter((v): v is string => !!v))].sort((a, b) => a.localeCompare(b, "zh-CN"));
  }
  return out;
}

/** 资源库: search and browse published lessons, or the ranking (本学期 / 近30天). */
export function LibraryPage({ ranking }: { ranking?: boolean }) {
  const [draft, setDraft] = useState<SearchFilters>({});
  const [filters, setFilters] = useState<SearchFilters>({});
  const [offset, setOffset] = useState(0);
  const [result, setResult] = useState<{ items: Resource[]; more: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choices = useLoad(loadFacets, []);

  useEffect(() => {
    if (ranking) return;
    let cancelled = false;
    setError(null);
    // One more than a page tells whether a next page exists.
    library.search(filters, PageSize + 1, offset).then(
      (r) => !cancelled && setResult({ items: r.items.slice(0, PageSize), more: r.items.length > PageSize }),
      (e) => !cancelled && setError(errorText(e)),
    );
    return () => {
      cancelled = true;
    };
  }, [filters, offset, ranking]);

  function apply(e: Event) {
    e.preventDefault();
    setOffset(0);
    setFilters({ ...draft });
  }

  const set = (k: keyof SearchFilters, v: string) => setDraft((d) => ({ ...d, [k]: v || undefined }));
  return (
    <>
      <TopBar />
      <main class="page wide library" data-testid="library-page">
        <div class="page-head">
          <h1>{t("library.title")}</h1>
          <nav class="tabs" aria-label={t("library.viewsNav")}>
            <a href="/library" onClick={linkClick} aria-current={!ranking ? "page" : undefined} data-testid="tab-search">{t("library.search")}</a>
            <a href="/library/ranking" onClick={linkClick} aria-current={ranking ? "page" : undefined} data-testid="tab-ranking">{t("library.ranking")}</a>
          </nav>
        </div>
        {ranking ? (
          <RankingView />
        ) : (
          <>
            <form class="row-form filters" onSubmit={apply} role="search" aria-label={t("library.search")}>
              <div class="field">
                <label for="lib-q">{t("library.q")}</label>
                <input id="lib-q" type="search" data-testid="search-q" value={draft.q ?? ""} onInput={(e) => set("q", e.currentTarget.value)}
                  placeholder={t("library.qHint")} />
              </div>
              {facets.map((f) => (
                <div class="field" key={f}>
                  <label for={`lib-${f}`}>{t(`library.field.${f}`)}</label>
                  <select id={`lib-${f}`} data-testid={`filter-${f}`} value={draft[f] ?? ""} onChange={(e) => set(f, e.currentTarget.value)}>
                    <option value="">{t("library.any")}</option>
                    {(choices.data?.[f] ?? []).map((v) => <option key={v} value={v}>{v}</option>)}
                  </select>
                </div>
              ))}
              <div class="field">
                <label for="lib-chapter">{t("library.field.chapter")}</label>
                <input id="lib-chapter" data-testid="filter-chapter" value={draft.chapter ?? ""} onInput={(e) => set("chapter", e.currentTarget.value)} />
              </div>
              <button type="submit" class="primary" data-testid="search-submit">{t("library.searchButton")}</button>
            </form>
            <Notice text={error ?? choices.error} testId="library-error" />
            {result && result.items.length === 0 && <p class="empty" data-testid="library-empty">{t("library.noResults")}</p>}
            {result && result.items.length > 0 && (
              <ul class="resource-grid" aria-label={t("library.results")}>
                {result.items.map((r) => <ResourceCard key={r.id} r={r} />)}
              </ul>
            )}
            {result && (offset > 0 || result.more) && (
              <div class="pager">
                <button type="button" class="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PageSize))}>{t("library.prev")}</button>
                <span>{t("library.page", { n: offset / PageSize + 1 })}</span>
                <button type="button" class="secondary" disabled={!result.more} onClick={() => setOffset(offset + PageSize)} data-testid="next-page">{t("library.next")}</button>
              </div>
            )}
          </>
        )}
      </main>
    </>
  );
}
