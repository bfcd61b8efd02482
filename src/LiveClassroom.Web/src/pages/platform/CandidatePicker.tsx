import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import type { AllianceCandidate } from "../../api/alliances";
import { Field, inputProps } from "../../components/Field";
import { stageLabel } from "./labels";

/** Waits this long after the last keystroke before asking the server: one request per pause, not per key. */
const DebounceMs = 250;

/** The server's rule (docs/API-PLATFORM.md, "Finding people to name"): one Chinese character, or two other characters. */
export function searchable(term: string): boolean {
  const trimmed = term.trim();
  return /\p{Script=Han}/u.test(trimmed) || [...trimmed].length >= 2;
}

/** 王芳（示范县第一实验小学）: how a chosen person is named in lists. */
export function candidateName(c: AllianceCandidate): string {
  return c.schoolName ? `${c.name}（${c.schoolName}）` : c.name;
}

function details(c: AllianceCandidate): string {
  const parts = [c.subject, stageLabel(c.stage), c.kind === "researcher" ? t("alliance.kindResearcher") : null];
  if (c.staffNumber) parts.push(t("alliance.staffNumber", { number: c.staffNumber }));
  return parts.filter(Boolean).join(" · ");
}

/**
 * Search-as-you-type for the people who may take a role in an alliance at a level: the server answers at most 20
 * matches per term, so nobody's whole staff list reaches the page. Picking one hands it to the caller and clears the box.
 */
export function CandidatePicker({ id, label, organisationId, teachersOnly, exclude, onPick, error }: {
  id: string;
  label: string;
  organisationId: string;
  teachersOnly?: boolean;
  exclude: string[];
  onPick: (c: AllianceCandidate) => void;
  error?: string | null;
}) {
  const [term, setTerm] = useState("");
  const [found, setFound] = useState<{ term: string; items: AllianceCandidate[]; more: boolean } | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    setFailure(null);
    if (!organisationId || !searchable(term)) {
      setFound(null);
      return;
    }
    // Answers to older terms are dropped: only the newest term's list is shown.
    let current = true;
    const timer = window.setTimeout(() => {
      const query = `organisationId=${encodeURIComponent(organisationId)}&q=${encodeURIComponent(term.trim())}${teachersOnly ? "&kind=teacher" : ""}`;
      api
        .get<{ items: AllianceCandidate[]; more: boolean }>(`/api/alliances/candidates?${query}`)
        .then((b) => current && setFound({ term, items: b.items, more: b.more }))
        .catch((e) => current && setFailure(errorText(e)));
    }, DebounceMs);
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [term, organisationId, teachersOnly]);

  const shown = found?.term === term ? found.items.filter((c) => !exclude.includes(c.personId)) : [];
  return (
    <div class="candidate-picker">
      <Field id={id} label={label} error={error ?? failure} hint={t("alliance.searchHint")}>
        <input {...inputProps(id, error ?? failure)} type="search" autocomplete="off" value={term} onInput={(e) => setTerm(e.currentTarget.value)} />
      </Field>
      {found?.term === term && (
        <ul class="candidates" aria-label={t("alliance.searchResults")}>
          {shown.map((c) => (
            <li key={c.personId}>
              <button
                type="button"
                class="small secondary"
                onClick={() => {
                  onPick(c);
                  setTerm("");
                }}
              >
                {candidateName(c)}
              </button>{" "}
              <span class="muted">{details(c)}</span>
            </li>
          ))}
          {shown.length === 0 && <li class="muted">{t("alliance.searchNone")}</li>}
          {found.more && <li class="muted">{t("alliance.searchMore", { count: found.items.length })}</li>}
        </ul>
      )}
    </div>
  );
}
