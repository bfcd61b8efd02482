import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { errorText } from "../../api/client";
import { library, type Resource } from "../../api/library";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";

/** 通过 / 退回 (a reason is required to reject) for a resource the caller reviews now. */
export function DecisionForm({ id, onDone }: { id: string; onDone: (r: Resource) => void }) {
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function decide(decision: "approve" | "reject") {
    if (decision === "reject" && !reason.trim()) {
      setReasonError(t("library.review.reasonRequired"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await library.review(id, decision, reason.trim() || undefined));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel decision" aria-labelledby="decision-title">
      <h2 id="decision-title">{t("library.review.decide")}</h2>
      <Field id="review-reason" label={t("library.review.reason")} error={reasonError} hint={t("library.review.reasonHint")}>
        <textarea {...inputProps("review-reason", reasonError)} data-testid="review-reason" rows={3} maxLength={1000} value={reason}
          onInput={(e) => {
            setReason(e.currentTarget.value);
            setReasonError(null);
          }} />
      </Field>
      <div class="toolbar">
        <button type="button" class="primary" data-testid="review-approve" disabled={busy} onClick={() => void decide("approve")}>
          {t("library.review.approve")}
        </button>
        <button type="button" class="danger" data-testid="review-reject" disabled={busy} onClick={() => void decide("reject")}>
          {t("library.review.reject")}
        </button>
      </div>
      <Notice text={error} testId="review-error" />
    </section>
  );
}

/** 下架 with a required reason: county admins (and above) over a published resource. */
export function TakedownForm({ id, onDone }: { id: string; onDone: () => void }) {
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function takedown() {
    if (!reason.trim()) {
      setReasonError(t("library.takedown.reasonRequired"));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await library.takedown(id, reason.trim());
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel takedown" aria-labelledby="takedown-title">
      <h2 id="takedown-title">{t("library.takedown.title")}</h2>
      <Field id="takedown-reason" label={t("library.takedown.reason")} error={reasonError}>
        <textarea {...inputProps("takedown-reason", reasonError)} data-testid="takedown-reason" rows={2} maxLength={1000} value={reason}
          onInput={(e) => {
            setReason(e.currentTarget.value);
            setReasonError(null);
          }} />
      </Field>
      <button type="button" class="danger" data-testid="takedown" disabled={busy} onClick={() => void takedown()}>
        {t("library.takedown.button")}
      </button>
      <Notice text={error} testId="takedown-error" />
    </section>
  );
}
