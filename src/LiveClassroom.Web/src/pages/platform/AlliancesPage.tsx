import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import type { AllianceSummary } from "../../api/alliances";
import { linkClick } from "../../router";
import { TopBar } from "../../components/TopBar";
import { Notice } from "../../components/Notice";
import { stageLabel } from "./labels";
import { allianceRoleLabel, allianceStatusLabel } from "./allianceLabels";

/** 教研联盟: the alliances of the caller's levels (and below, for admins) and those they belong to. */
export function AlliancesPage() {
  const [items, setItems] = useState<AllianceSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api
      .get<{ items: AllianceSummary[] }>("/api/alliances")
      .then((b) => setItems(b.items))
      .catch((e) => {
        setItems([]);
        setError(errorText(e));
      });
  }, []);
  return (
    <>
      <TopBar />
      <main class="page">
        <h1>{t("alliance.title")}</h1>
        <p class="muted">{t("alliance.intro")}</p>
        <div class="toolbar">
          <a href="/alliances/new" onClick={linkClick} data-testid="alliance-apply-link">
            {t("alliance.apply")}
          </a>
        </div>
        <Notice text={error} />
        {items === null && <p>{t("common.loading")}</p>}
        {items && (
          <table class="data" data-testid="alliance-list">
            <thead>
              <tr>
                <th scope="col">{t("alliance.name")}</th>
                <th scope="col">{t("alliance.level")}</th>
                <th scope="col">{t("alliance.scope")}</th>
                <th scope="col">{t("alliance.status")}</th>
                <th scope="col">{t("alliance.chief")}</th>
                <th scope="col">{t("alliance.memberCount")}</th>
                <th scope="col">{t("alliance.myRole")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.id}>
                  <th scope="row">
                    <a href={`/alliances/${a.id}`} onClick={linkClick}>
                      {a.name}
                    </a>
                  </th>
                  <td>{a.organisationName}</td>
                  <td>
                    {a.subject} · {stageLabel(a.stage)}
                  </td>
                  <td>{allianceStatusLabel(a.status)}</td>
                  <td>{a.chiefName}</td>
                  <td>{a.members}</td>
                  <td>{allianceRoleLabel(a.myRole)}</td>
                </tr>
              ))}
              {items.length === 0 && (
                <tr>
                  <td colSpan={7} class="muted">
                    {t("alliance.none")}
                  </td>
                </tr>
              )}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}
