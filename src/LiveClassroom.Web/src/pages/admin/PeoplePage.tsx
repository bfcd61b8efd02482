import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { unwrap } from "../../api/lessons";
import type { Person } from "../../api/types";
import { Notice } from "../../components/Notice";
import { useOrgTree } from "./orgTree";
import { roleLabel } from "./roles";
import { PersonForm } from "./PersonForm";
import { RoleEditor } from "./RoleEditor";
import { useLatest } from "../../components/latest";

export function PeoplePage() {
  const tree = useOrgTree();
  const [orgId, setOrgId] = useState("");
  const [people, setPeople] = useState<Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const orgs = tree.flat.filter((f) => !f.org.ancestorOnly);

  const latest = useLatest();

  async function load() {
    const mine = latest();
    try {
      const q = orgId ? `?organisationId=${encodeURIComponent(orgId)}&pageSize=200` : "?pageSize=200";
      const list = unwrap<Person>(await api.get<unknown>(`/api/people${q}`), "people");
      if (!mine()) return;
      setPeople(list);
      setError(null);
    } catch (e) {
      if (!mine()) return;
      setPeople([]);
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), [orgId]);

  async function setActive(p: Person, isActive: boolean) {
    try {
      await api.patch(`/api/people/${p.id}`, { isActive });
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      <div class="toolbar">
        <label for="people-org">{t("people.filterOrg")}</label>
        <select id="people-org" value={orgId} onChange={(e) => setOrgId(e.currentTarget.value)}>
          <option value="">{t("people.allOrgs")}</option>
          {orgs.map((f) => (
            <option key={f.org.id} value={f.org.id}>
              {"\u00a0".repeat(f.depth * 2)}
              {f.org.name}
            </option>
          ))}
        </select>
      </div>
      <Notice text={error} />
      <table class="data" data-testid="people-table">
        <caption class="sr-only">{t("admin.people")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("people.displayName")}</th>
            <th scope="col">{t("people.username")}</th>
            <th scope="col">{t("people.organisation")}</th>
            <th scope="col">{t("people.roles")}</th>
            <th scope="col">{t("people.status")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {(people ?? []).map((p) => (
            <>
              <tr key={p.id}>
                <th scope="row">{p.displayName}</th>
                <td>{p.username}</td>
                <td>{p.organisationName ?? "—"}</td>
                <td>{p.roles.map((r) => `${roleLabel(r.role)}（${r.organisationName ?? ""}）`).join("、")}</td>
                <td>{p.isActive === false ? t("people.inactive") : t("people.active")}</td>
                <td class="actions">
                  <button type="button" class="small secondary" aria-expanded={editing === p.id} onClick={() => setEditing(editing === p.id ? null : p.id)}>
                    {t("people.editRoles")}
                  </button>
                  <button type="button" class="small secondary" onClick={() => void setActive(p, p.isActive === false)}>
                    {p.isActive === false ? t("people.activate") : t("people.deactivate")}
                  </button>
                </td>
              </tr>
              {editing === p.id && (
                <tr key={`${p.id}-roles`}>
                  <td colSpan={6}>
                    <RoleEditor person={p} orgs={orgs} onSaved={() => (setEditing(null), void load())} />
                  </td>
                </tr>
              )}
            </>
          ))}
          {people?.length === 0 && (
            <tr>
              <td colSpan={6} class="muted">{t("people.none")}</td>
            </tr>
          )}
        </tbody>
      </table>
      <PersonForm orgs={orgs} defaultOrg={orgId} onCreated={() => void load()} />
    </>
  );
}
