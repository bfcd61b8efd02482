import { useEffect, useRef } from "preact/hooks";
import { t, formatDateTime } from "../../i18n";
import { library, type UnfinishedRecording } from "../../api/library";
import { useLoad } from "../research/docs/DocsLayout";


// Processing takes seconds to minutes: poll while something is still on its way.
const PollMs = 5000;

function statusText(r: UnfinishedRecording): string {
  if (r.status === "recording") return t("library.unfinished.recording");
  if (r.status === "paused") return t("library.unfinished.paused");
  if (r.status === "failed") return t("library.unfinished.failed", { reason: r.failureReason ?? "" });
  return t("library.unfinished.processing", { progress: r.progress ?? 0 });
}

/** 录制中 / 处理中 (with the job's progress) / 失败: recordings that are not a draft yet; `onReady` when one became one. */
export function UnfinishedList({ onReady }: { onReady: () => void }) {
  const { data, reload } = useLoad(library.unfinished, []);
  const seen = useRef<Set<string>>(new Set());
  const active = !!data?.some((r) => r.status !== "failed");

  useEffect(() => {
    if (!data) return;
    const now = new Set(data.map((r) => r.id));
    if ([...seen.current].some((id) => !now.has(id))) onReady();
    seen.current = now;
    if (!active) return;
    const timer = window.setTimeout(reload, PollMs);
    return () => window.clearTimeout(timer);
  }, [data]);

  if (!data || data.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="unfinished-title">
      <h2 id="unfinished-title">{t("library.unfinished.title")}</h2>
      <ul class="unfinished">
        {data.map((r) => (
          <li key={r.id} data-testid="unfinished-item" data-recording={r.id} data-status={r.status}>
            <span class={`badge ${r.status === "recording" ? "recording" : ""}`}>{statusText(r)}</span>{" "}
            <span class="muted">{formatDateTime(r.startedAt)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
