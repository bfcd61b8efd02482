import { useEffect, useState } from "preact/hooks";
import { formatDateTime, t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import type { Registration } from "../../api/platform";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { roleLabel } from "../admin/roles";
import { kindLabel, stageLabel } from "./labels";
import { useLatest } from "../../components/latest";

const statuses = ["pending", "approved", "rejected"] as const;

/** 注册审核: what waits for the caller's level (the server lists only registrations this admin decides). */
export function RegistrationsQueuePage() {
  const [status, setStatus] = useState<(typeof statuses)[number]>("pending");
  const [items, setItems] = useState<Registration[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);

  const latest = useLatest();

  async function load() {
    const mine = latest();
    try {
      const list = (await api.get<{ items: Registration[] }>(`/api/registrations?status=${status}`)).items;
      if (!mine()) return;
      setItems(list);
      setError(null);
    } catch (e) {
      if (!mine()) return;
      setItems([]);
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), [status]);

  async function approve(r: Registration) {
    try {
      await api.post(`/api/registrations/${r.id}/approve`);
      setInfo(t("platform.queue.approved", { name: r.applicantName }));
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function reject(e: Event, r: Registration) {
    e.preventDefault();
    if (!reason.trim()) {
      setReasonError(t("validation.required"));
      document.getElementById("reject-reason")?.focus();
      return;
    }
    try {
      await api.post(`/api/registrations/${r.id}/reject`, { reason: reason.trim() });
      setInfo(t("platform.queue.rejected", { name: r.applicantName }));
      setRejecting(null);
      setReason("");
      setReasonError(null);
      await load();
    } catch (err) {
      setError(errorText(err));
    }
  }

  const details = (r: Registration) =>
    r.kind === "teacher"
      ? [roleLabel(r.role ?? ""), r.subject, stageLabel(r.stage), r.phone, r.staffNumber].filter(Boolean).join(" · ")
      : [r.organisationName, r.isRural ? t("platform.register.isRural") : null, r.phone].filter(Boolean).join(" · ");

  return (
    <>
      <div class="toolbar">
        <label for="reg-status">{t("platform.queue.status")}</label>
        <select id="reg-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as (typeof statuses)[number])}>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`platform.status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <Notice text={error} />
      <Notice kind="info" text={info} testId="queue-info" />
      <table class="data" data-testid="registration-queue">
        <caption class="sr-only">{t("admin.registrations")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("platform.queue.applicant")}</th>
            <th scope="col">{t("platform.queue.kind")}</th>
            <th scope="col">{t("platform.queue.under")}</th>
            <th scope="col">{t("platform.queue.details")}</th>
            <th scope="col">{t("platform.status.submittedAt")}</th>
            <th scope="col">{status === "pending" ? t("common.actions") : t("platform.queue.status")}</th>
          </tr>
        </thead>
        <tbody>
          {(items ?? []).map((r) => (
            <>
              <tr key={r.id}>
                <th scope="row">
                  {r.applicantName}（{r.applicantUsername}）
                </th>
                <td>{kindLabel(r.kind)}</td>
                <td>{r.parentName}</td>
                <td>{details(r)}</td>
                <td>{formatDateTime(r.createdAt)}</td>
                <td class="actions">
                  {r.status === "pending" ? (
                    <>
                      <button type="button" class="small primary" onClick={() => void approve(r)}>
                        {t("platform.queue.approve")}
                      </button>
                      <button type="button" class="small secondary" aria-expanded={rejecting === r.id}
                        onClick={() => (setRejecting(rejecting === r.id ? null : r.id), setReasonError(null))}>
                        {t("platform.queue.reject")}
                      </button>
                    </>
                  ) : (
                    <>
                      {t(`platform.status.${r.status}` as MessageKey)}
                      {r.reason ? `：${r.reason}` : ""}
                    </>
                  )}
                </td>
              </tr>
              {rejecting === r.id && (
                <tr key={`${r.id}-reject`}>
                  <td colSpan={6}>
                    <form class="inline-form" onSubmit={(e) => void reject(e, r)} noValidate>
                      <Field id="reject-reason" label={t("platform.queue.reason")} error={reasonError}>
                        <input {...inputProps("reject-reason", reasonError)} maxLength={500} value={reason}
                          onInput={(e) => setReason(e.currentTarget.value)} />
                      </Field>
                      <button type="submit" class="small primary">
                        {t("platform.queue.confirmReject")}
                      </button>
                    </form>
                  </td>
                </tr>
              )}
            </>
          ))}
          {items?.length === 0 && (
            <tr>
              <td colSpan={6} class="muted">
                {t("platform.queue.none")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
