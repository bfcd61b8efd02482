import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../../../i18n";
import { errorText } from "../../../api/client";
import { TopBar } from "../../../components/TopBar";
import { Notice } from "../../../components/Notice";
import { linkClick } from "../../../router";
import "./researchDocs.css";

/** The frame of every research document page: top bar, a back link to the research list, the page body. */
export function DocsLayout({ children, wide }: { children: ComponentChildren; wide?: boolean }) {
  return (
    <>
      <TopBar />
      <main class={`page rdocs${wide ? " rdocs-wide" : ""}`}>
        <p class="rdocs-back">
          <a href="/research" onClick={linkClick}>
            {t("researchDocs.back")}
          </a>
        </p>
        {children}
      </main>
    </>
  );
}

/** Loads once per dependency change; the error is the user-facing text. Stale answers are dropped. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    load().then(
      (d) => live && setData(d),
      (e) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  return { data, error, reload: () => setTick((n) => n + 1) };
}

/** Loading / error state shown in place of a page's body. */
export function LoadState({ error }: { error: string | null }) {
  return error ? <Notice text={error} testId="error-banner" /> : <p class="muted">{t("common.loading")}</p>;
}

const stages: Record<string, MessageKey> = {
  primary: "researchDocs.stage.primary",
  junior: "researchDocs.stage.junior",
  senior: "researchDocs.stage.senior",
};

/** 学段 in the UI's language; an unknown value is shown as the server sent it. */
export function stageLabel(stage: string | null | undefined): string {
  if (!stage) return "—";
  return stages[stage] ? t(stages[stage]) : stage;
}

/** A term and its value in a header's description list. */
export function Fact({ label, children, testId }: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <div class="rdocs-fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}
