import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import type { AllianceCandidate, AllianceDetail, AllianceRole } from "../../api/alliances";
import { allianceRoleLabel } from "./allianceLabels";

const assignable: AllianceRole[] = ["expert", "core", "member"];

/** Members by role; the chief and the level's admin change roles, add people from under the level and remove members. */
export function AllianceMembers({ detail, candidates, act }: {
  detail: AllianceDetail;
  candidates: AllianceCandidate[];
  act: (fn: () => Promise<unknown>, done: string) => Promise<void>;
}) {
  const [person, setPerson] = useState("");
  const [role, setRole] = useState<AllianceRole>("expert");
  const id = detail.alliance.id;
  const manage = detail.alliance.canManage && !["rejected", "dissolved"].includes(detail.alliance.status);
  const outside = candidates.filter((c) => !detail.members.some((m) => m.personId === c.personId));
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
          class="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            if (person) void act(() => api.put(`/api/alliances/${id}/members/${person}`, { role }), t("alliance.saved"));
          }}
        >
          <label for="al-add-person">{t("alliance.addPerson")}</label>
          <select id="al-add-person" value={person} onChange={(e) => setPerson(e.currentTarget.value)}>
            <option value="">{t("common.choose")}</option>
            {outside.map((c) => (
              <option key={c.personId} value={c.personId}>
                {c.schoolName ? `${c.name}（${c.schoolName}）` : c.name}
              </option>
            ))}
          </select>
          <label for="al-add-role">{t("alliance.role")}</label>
          <select id="al-add-role" value={role} onChange={(e) => setRole(e.currentTarget.value as AllianceRole)}>
            {assignable.map((r) => (
              <option key={r} value={r}>
                {allianceRoleLabel(r)}
              </option>
            ))}
          </select>
          <button type="submit" class="secondary">
            {t("common.add")}
          </button>
        </form>
      )}
    </section>
  );
}
