import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { adminRoles, api, hasRole, session } from "../../api/session";
import { unwrap } from "../../api/lessons";
import type { Person } from "../../api/types";

export type InviteRole = "participant" | "observer";
export interface InviteState {
  /** personId → role, from the people list. */
  picked: Record<string, InviteRole>;
  /** Pasted lines: "id" or "id observer". */
  pastedPeople: string;
  pastedSchools: string;
}

export const emptyInvites: InviteState = { picked: {}, pastedPeople: "", pastedSchools: "" };

const idPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The invitations to send: picked people, pasted people ids (optionally followed by "observer"/观察员) and school ids. */
export function invitationsOf(s: InviteState): { personId?: string; schoolId?: string; role: InviteRole }[] {
  const out: { personId?: string; schoolId?: string; role: InviteRole }[] = [];
  for (const [personId, role] of Object.entries(s.picked)) out.push({ personId, role });
  for (const line of s.pastedPeople.split(/[\n,;，；]+/)) {
    const id = idPattern.exec(line)?.[0];
    if (id && !s.picked[id]) out.push({ personId: id, role: /observer|观察/i.test(line) ? "observer" : "participant" });
  }
  for (const line of s.pastedSchools.split(/[\n,;，；\s]+/)) {
    const id = idPattern.exec(line)?.[0];
    if (id) out.push({ schoolId: id, role: "participant" });
  }
  return out;
}

/** Whom to invite: a searchable list of people where the caller may read it (admins), else pasted ids. */
export function Invitations({ value, onChange, error, people }: { value: InviteState; onChange: (v: InviteState) => void; error?: string | null; people: Person[] | null }) {
  const [q, setQ] = useState("");
  const shown = (people ?? []).filter((p) => !q.trim() || `${p.displayName} ${p.username} ${p.organisationName ?? ""}`.toLowerCase().includes(q.trim().toLowerCase())).slice(0, 100);
  const toggle = (id: string, on: boolean) => {
    const picked = { ...value.picked };
    if (on) picked[id] = "participant";
    else delete picked[id];
    onChange({ ...value, picked });
  };
  return (
    <fieldset class={`invitations${error ? " invalid" : ""}`} data-testid="invitations" aria-describedby={error ? "schedule-invitations-error" : undefined}>
      <legend>{t("research.invitations")}</legend>
      {people && people.length > 0 && (
        <>
          <label class="inline">
            {t("research.searchPeople")}
            <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
          </label>
          <ul class="plain people-pick">
            {shown.map((p) => {
              const role = value.picked[p.id];
              return (
                <li key={p.id}>
                  <label class="check">
                    <input type="checkbox" checked={!!role} onChange={(e) => toggle(p.id, e.currentTarget.checked)} data-testid="invite-person" data-person-id={p.id} />
                    {p.displayName} <span class="muted">{p.organisationName ?? p.username}</span>
                  </label>
                  {role && (
                    <select aria-label={t("research.inviteRoleFor", { name: p.displayName })} value={role}
                      onChange={(e) => onChange({ ...value, picked: { ...value.picked, [p.id]: e.currentTarget.value as InviteRole } })}>
                      <option value="participant">{t("research.role.participant")}</option>
                      <option value="observer">{t("research.role.observer")}</option>
                    </select>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
      <div class="field">
        <label for="invite-people">{t("research.pastePeople")}</label>
        <textarea id="invite-people" rows={3} value={value.pastedPeople} data-testid="invite-person-ids"
          onInput={(e) => onChange({ ...value, pastedPeople: e.currentTarget.value })} />
        <p class="hint">{t("research.pastePeopleHint")}</p>
      </div>
      <div class="field">
        <label for="invite-schools">{t("research.pasteSchools")}</label>
        <textarea id="invite-schools" rows={2} value={value.pastedSchools} data-testid="invite-school-ids"
          onInput={(e) => onChange({ ...value, pastedSchools: e.currentTarget.value })} />
        <p class="hint">{t("research.pasteSchoolsHint")}</p>
      </div>
      {error && <p class="field-error" id="schedule-invitations-error" role="alert">{error}</p>}
    </fieldset>
  );
}

/**
 * The people the caller may read (admins); null otherwise (researchers): the paste fields remain. Only admins
 * ask, so nobody else's browser logs a refused request.
 */
export function usePeople(): Person[] | null {
  const [people, setPeople] = useState<Person[] | null>(null);
  useEffect(() => {
    if (!hasRole(session.person(), ...adminRoles)) return;
    api.get<unknown>("/api/people?pageSize=200").then(
      (body) => setPeople(unwrap<Person>(body, "people")),
      () => setPeople(null),
    );
  }, []);
  return people;
}
