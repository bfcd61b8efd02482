import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import type { AllianceCandidate, AllianceDetail, AllianceRole } from "../../api/alliances";
import { allianceRoleLabel } from "./allianceLabels";
import { CandidatePicker, candidateName } from "./CandidatePicker";

const assignable: AllianceRole[] = ["expert", "core", "member"];

/** Members by role; the chief and the level's admin change roles, add people from under the level and remove members. */
export function AllianceMembers({ detail, act }: {
  detail: AllianceDetail;
  act: (fn: () => Promise<unknown>, done: string) => Promise<boolean>;
}) {
  const [person, setPerson] = useState<AllianceCandidate | null>(null);
  const [role, setRole] = useState<AllianceRole>("expert");
  const id = detail.alliance.id;
  const manage = detail.alliance.canManage && !["rejected", "dissolved"].includes(detail.alliance.status);
  return (
    <section aria-labelledby="al-members-h">
      <h2 id="al-members-h">{t("alliance.members")}</h2>
      <table class="data" data-testid="alliance-members">
        <thead>
          <tr>
            <th scope="col">{t("alliance.memberName")}</th>
            <th scope="col">{t("alliance.school")}</th>
            <th scope="col">{t("alliance.role")}</th>
            {manage && <th scope="col">{t("common.actions")}</th>}
          </tr>
        </thead>
        <tbody>
          {detail.members.map((m) => (
            <tr key={m.personId} data-role={m.role}>
              <th scope="row">{m.name}</th>
              <td>{m.schoolName}</td>
              <td>{allianceRoleLabel(m.role)}</td>
              {manage && (
                <td class="actions">
                  {m.role !== "chief" && (
                    <>
                      <select
                        aria-label={t("alliance.roleOf", { name: m.name })}
                        value={m.role}
                        onChange={(e) =>
                          void act(() => api.put(`/api/alliances/${id}/members/${m.personId}`, { role: e.currentTarget.value }), t("alliance.saved"))
                        }
                      >
                        {assignable.map((r) => (
                          <option key={r} value={r}>
                            {allianceRoleLabel(r)}
                          </option>
                        ))}
                      </select>{" "}
                      <button
                        type="button"
                        class="small secondary"
                        onClick={() => void act(() => api.delete(`/api/alliances/${id}/members/${m.personId}`), t("alliance.saved"))}
                      >
                        {t("common.remove")}
                      </button>
                    </>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {manage && (
        <form
          class="card"
          data-testid="alliance-add-member"
          onSubmit={(e) => {
            e.preventDefault();
            if (!person) return;
            void act(() => api.put(`/api/alliances/${id}/members/${person.personId}`, { role }), t("alliance.saved")).then((ok) => ok && setPerson(null));
          }}
        >
          <h3>{t("alliance.addPerson")}</h3>
          {person ? (
            <p>
              {candidateName(person)}{" "}
              <button type="button" class="small secondary" onClick={() => setPerson(null)}>
                {t("alliance.pickAnother")}
              </button>
            </p>
          ) : (
            <CandidatePicker
              id="al-add-person"
              label={t("alliance.searchPeople")}
              organisationId={detail.alliance.organisationId}
              exclude={detail.members.map((m) => m.personId)}
              onPick={setPerson}
            />
          )}
          <label for="al-add-role">{t("alliance.role")}</label>
          <select id="al-add-role" value={role} onChange={(e) => setRole(e.currentTarget.value as AllianceRole)}>
            {assignable.map((r) => (
              <option key={r} value={r}>
                {allianceRoleLabel(r)}
              </option>
            ))}
          </select>{" "}
          <button type="submit" class="secondary" disabled={!person}>
            {t("common.add")}
          </button>
        </form>
      )}
    </section>
  );
}
