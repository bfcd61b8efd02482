import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import type { Person, RoleGrant } from "../../api/types";
import { Notice } from "../../components/Notice";
import type { FlatOrg } from "./orgTree";
import { roleLabel, roleNames } from "./roles";

/** Replaces a person's role set (PUT /api/people/{id}/roles). */
export function RoleEditor({ person, orgs, onSaved }: { person: Person; orgs: FlatOrg[]; onSaved: () => void }) {
  const [roles, setRoles] = useState<RoleGrant[]>(person.roles);
  const [role, setRole] = useState<string>(roleNames[0]);
  const [org, setOrg] = useState(person.organisationId);
  const [error, setError] = useState<string | null>(null);
  const orgName = (id: string) => orgs.find((f) => f.org.id === id)?.org.name ?? "";
  const base = `roles-${person.id}`;

  async function save() {
    try {
      await api.put(`/api/people/${person.id}/roles`, { roles: roles.map((r) => ({ role: r.role, organisationId: r.organisationId })) });
      onSaved();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <div class="role-editor">
      <ul class="plain">
        {roles.map((r, i) => (
          <li key={`${r.role}@${r.organisationId}`}>
            {roleLabel(r.role)}（{r.organisationName ?? orgName(r.organisationId)}）
            <button type="button" class="small secondary" onClick={() => setRoles(roles.filter((_, j) => j !== i))}>
              {t("common.remove")}
            </button>
          </li>
        ))}
      </ul>
      <div class="row-form">
        <label for={`${base}-role`}>{t("people.role")}</label>
        <select id={`${base}-role`} value={role} onChange={(e) => setRole(e.currentTarget.value)}>
          {roleNames.map((r) => (
            <option key={r} value={r}>{roleLabel(r)}</option>
          ))}
        </select>
        <label for={`${base}-org`}>{t("people.roleOrg")}</label>
        <select id={`${base}-org`} value={org} onChange={(e) => setOrg(e.currentTarget.value)}>
          {orgs.map((f) => (
            <option key={f.org.id} value={f.org.id}>{f.path}</option>
          ))}
        </select>
        <button type="button" class="small" onClick={() => {
          if (!roles.some((r) => r.role === role && r.organisationId === org)) setRoles([...roles, { role, organisationId: org, organisationName: orgName(org) }]);
        }}>
          {t("common.add")}
        </button>
      </div>
      <button type="button" class="primary" onClick={() => void save()}>{t("common.save")}</button>
      <Notice text={error} />
    </div>
  );
}
