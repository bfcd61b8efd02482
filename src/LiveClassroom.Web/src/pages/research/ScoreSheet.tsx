import { useEffect, useRef, useState } from "preact/hooks";
import { formatTime, t } from "../../i18n";
import { research, type ResearchLesson, type Rubric } from "../../api/research";
import { failText } from "./util";

/** Debounce of the autosave after the last keystroke. */
const autosaveMs = 600;

/**
 * My score sheet for one lesson: one input per criterion, saved automatically. A refused value keeps what
 * was typed and shows the server's reason; nothing of the sheet saved before changes (the server refuses all).
 */
export function ScoreSheet({ sessionId, lesson, rubric, onError, readOnly }: {
  sessionId: string; lesson: ResearchLesson; rubric: Rubric; onError: (text: string | null) => void; readOnly?: boolean;
}) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [state, setState] = useState<"idle" | "dirty" | "saving" | "saved" | "failed">("idle");
  const [savedAt, setSavedAt] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);
  const latest = useRef(values);
  latest.current = values;

  useEffect(() => {
    let cancelled = false;
    setValues({});
    setState("idle");
    setProblem(null);
    research.myScores(sessionId, lesson.id).then(
      (sheet) => {
        if (cancelled) return;
        const v: Record<string, string> = {};
        for (const [k, n] of Object.entries(sheet.scores ?? {})) v[k] = String(n);
        setValues(v);
        setSavedAt(sheet.updatedAt);
      },
      (e) => !cancelled && onError(failText(e)),
    );
    return () => {
      cancelled = true;
      // Switching lessons (or leaving) right after typing: save what was typed for this lesson now.
      if (timer.current !== undefined) {
        clearTimeout(timer.current);
        timer.current = undefined;
        void save();
      }
    };
  }, [sessionId, lesson.id]);

  async function save() {
    timer.current = undefined;
    const scores: Record<string, number> = {};
    for (const [k, text] of Object.entries(latest.current)) {
      if (text.trim() === "") continue;
      const n = Number(text);
      if (Number.isFinite(n)) scores[k] = n;
    }
    if (Object.keys(scores).length === 0) return;
    setState("saving");
    try {
      const sheet = await research.saveScores(sessionId, lesson.id, scores);
      setSavedAt(sheet.updatedAt ?? new Date().toISOString());
      setProblem(null);
      onError(null);
      setState((s) => (s === "saving" ? "saved" : s));
    } catch (e) {
      const text = failText(e);
      setProblem(text);
      onError(text);
      setState("failed");
    }
  }

  function edit(key: string, text: string) {
    setValues({ ...latest.current, [key]: text });
    setState("dirty");
    clearTimeout(timer.current);
    timer.current = window.setTimeout(() => void save(), autosaveMs);
  }

  return (
    <form class="score-sheet" data-testid="score-sheet" aria-labelledby="score-title" onSubmit={(e) => (e.preventDefault(), void save())}>
      <h3 id="score-title">
        {t("research.scoreSheet")} <span class="muted">{t("research.scale", { min: rubric.scaleMin, max: rubric.scaleMax })}</span>
      </h3>
      <div class="score-grid">
        {rubric.criteria.map((c) => {
          const id = `score-${c.key}`;
          return (
            <div class="score-row" key={c.key}>
              <label for={id} title={c.description || undefined}>
                {c.name} <span class="muted">({t("research.weight", { w: c.weight })})</span>
              </label>
              <input
                id={id}
                type="number"
                inputMode="decimal"
                min={rubric.scaleMin}
                max={rubric.scaleMax}
                step={0.5}
                value={values[c.key] ?? ""}
                data-testid="score-input"
                readOnly={readOnly}
                data-criterion={c.key}
                aria-invalid={state === "failed" && offScale(values[c.key], rubric) ? "true" : undefined}
                aria-describedby={problem && offScale(values[c.key], rubric) ? "score-problem" : undefined}
                onInput={(e) => edit(c.key, e.currentTarget.value)}
              />
            </div>
          );
        })}
      </div>
      <div class="score-status" aria-live="polite">
        {state === "saving" && <span class="muted">{t("research.saving")}</span>}
        {state === "saved" && (
          <span class="ok" data-testid="score-saved">{t("research.saved", { time: savedAt ? formatTime(savedAt) : "" })}</span>
        )}
        {problem && state === "failed" && (
          <span class="field-error" id="score-problem" role="alert">{problem}</span>
        )}
      </div>
    </form>
  );
}

/** A typed score the server will refuse: off the rubric's scale or not in steps of 0.5 (empty is not scored yet). */
function offScale(text: string | undefined, rubric: Rubric): boolean {
  if (text === undefined || text.trim() === "") return false;
  const n = Number(text);
  return !Number.isFinite(n) || n < rubric.scaleMin || n > rubric.scaleMax || Math.abs(n * 2 - Math.round(n * 2)) > 1e-9;
}
