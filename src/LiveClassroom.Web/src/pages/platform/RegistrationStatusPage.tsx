import { useEffect, useState } from "preact/hooks";
import { formatDateTime, t, type MessageKey } from "../../i18n";
import { api, session } from "../../api/session";
import { errorText } from "../../api/client";
import type { Registration } from "../../api/platform";
import { LangSwitch } from "../../components/LangSwitch";
import { Notice } from "../../components/Notice";
import { navigate } from "../../router";
import { kindLabel } from "./labels";

/** The only page a pending or rejected applicant reaches: their registration and its outcome. */
export function RegistrationStatusPage() {
  const [items, setItems] = useState<Registration[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function load() {
    try {
      setItems((await api.get<{ items: Registration[] }>("/api/registrations/mine")).items);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  const signOut = () => {
    session.signOut();
    navigate("/login", true);
  };
  const latest = items?.[0];
  return (
    <main class="login-page">
      <div class="login-lang">
        <LangSwitch />
      </div>
      <section class="card login-card" aria-labelledby="status-title" data-testid="registration-status">
        <h1 id="status-title">{t("platform.status.title")}</h1>
        <p class="who">{session.person()?.displayName}</p>
        <Notice text={error} />
        {items === null && !error && <p>{t("common.loading")}</p>}
        {items?.length === 0 && <p>{t("platform.status.none")}</p>}
        {latest && (
          <>
            <p>
              <strong data-testid="registration-state">{t(`platform.status.${latest.status}` as MessageKey)}</strong>
              {" · "}
              {kindLabel(latest.kind)}
              {latest.organisationName ? ` · ${latest.organisationName}` : ""}
            </p>
            <p class="muted">
              {t("platform.status.submittedAt")}: {formatDateTime(latest.createdAt)}
            </p>
            {latest.status === "pending" && <Notice kind="info" text={t("platform.status.pendingHint", { parent: latest.parentName })} />}
            {latest.status === "approved" && <Notice kind="info" text={t("platform.status.approvedHint")} />}
            {latest.status === "rejected" && (
              <Notice kind="info" testId="registration-reason" text={t("platform.status.rejectedHint", { reason: latest.reason ?? "" })} />
            )}
          </>
        )}
        <div class="actions">
          {latest?.status === "pending" && (
            <button type="button" class="secondary" onClick={() => void load()}>
              {t("platform.status.refresh")}
            </button>
          )}
          <button type="button" class={latest?.status === "approved" ? "primary" : "secondary"} onClick={signOut}>
            {latest?.status === "approved" ? t("platform.status.signInAgain") : t("nav.logout")}
          </button>
        </div>
      </section>
    </main>
  );
}
