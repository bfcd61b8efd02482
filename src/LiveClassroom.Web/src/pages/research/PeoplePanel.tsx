import { t } from "../../i18n";
import type { ResearchLive } from "./ResearchLive";
import { roleLabel } from "./util";

/**
 * Who is in the room: everyone the viewer may see (observers only to the host and themselves), with the floor
 * marks and whether their connection is back yet; observers are counted for everyone.
 */
export function PeoplePanel({ live }: { live: ResearchLive }) {
  const s = live.snapshot;
  if (!s) return null;
  // The host (and an observer, of themselves) sees observers listed; the others only see how many there are.
  const unlisted = s.observerCount - s.participants.filter((p) => p.role === "observer").length;
  const people = [...s.participants].sort((a, b) => rank(a.role) - rank(b.role) || a.joinedAt.localeCompare(b.joinedAt));
  return (
    <section class="panel people" aria-labelledby="people-title" data-testid="people-panel">
      <h2 id="people-title">
        {t("research.people")} <span class="muted">({people.length})</span>
      </h2>
      <ul class="people-list">
        {people.map((p) => (
          <li key={p.personId} data-testid="person" data-person-id={p.personId} class={p.connected ? "" : "away"}>
            <span class="person-name">{p.displayName}</span>{" "}
            <span class={`badge role-${p.role}`}>{roleLabel(p.role)}</span>
            {s.speaker?.personId === p.personId && <span class="badge speaking"> {t("research.speakingNow")}</span>}
            {s.speakerQueue.includes(p.personId) && <span class="badge queued"> {t("research.queuedMark")}</span>}
            {!p.connected && <span class="muted"> {t("research.reconnecting")}</span>}
          </li>
        ))}
      </ul>
      {unlisted > 0 && <p class="muted">{t("research.observersListening", { n: unlisted })}</p>}
    </section>
  );
}

function rank(role: string): number {
  return role === "host" ? 0 : role === "participant" ? 1 : 2;
}
