import { useState } from "preact/hooks";
import { t } from "../i18n";

/** A destructive action asked twice in the page itself (native confirm() blocks and cannot be styled or translated). */
export function ConfirmButton(props: { label: string; question: string; confirmLabel: string; onConfirm: () => void; class?: string; testId?: string }) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" class={props.class ?? "danger"} data-testid={props.testId} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  return (
    <span class="confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>
      <button type="button" class="danger" data-testid={props.testId ? `${props.testId}-confirm` : undefined} autoFocus
        onClick={() => (setAsking(false), props.onConfirm())}>
        {props.confirmLabel}
      </button>
      <button type="button" class="secondary" onClick={() => setAsking(false)}>
        {t("common.cancel")}
      </button>
    </span>
  );
}
