import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { ApiClient, errorText } from "../../api/client";
import type { PairingRequest, PairingStatus } from "../../api/types";
import { LangSwitch } from "../../components/LangSwitch";

const anonymous = new ApiClient(() => null);

/**
 * First run of a projector PC: show a short code large enough to read from the door, poll until a
 * school admin confirms it, then hand the device token up. An expired code is replaced by itself.
 */
export function PairingScreen({ onPaired }: { onPaired: (token: string) => void }) {
  const [request, setRequest] = useState<PairingRequest | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stopped = false;
    let timer: number | undefined;
    let current: PairingRequest | null = null;

    const create = async () => {
      try {
        current = await anonymous.post<PairingRequest>("/api/devices/pairing-requests");
        if (stopped) return;
        setRequest(current);
        setError(null);
        timer = window.setTimeout(poll, 2500);
      } catch (e) {
        if (stopped) return;
        setError(errorText(e));
        timer = window.setTimeout(create, 5000);
      }
    };
    const poll = async () => {
      if (!current) return create();
      try {
        const s = await anonymous.get<PairingStatus>(
          `/api/devices/pairing-requests/${encodeURIComponent(current.requestId)}?pollToken=${encodeURIComponent(current.pollToken)}`,
        );
        if (stopped) return;
        setError(null);
        if (s.status === "confirmed" && s.deviceToken) return onPaired(s.deviceToken);
        // Expired, or collected by someone else (a second tab): start over with a new code.
        if (s.status !== "pending") return void create();
        timer = window.setTimeout(poll, 2500);
      } catch (e) {
        if (stopped) return;
        setError(errorText(e));
        timer = window.setTimeout(poll, 5000);
      }
    };
    void create();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  return (
    <main class="projector pairing">
      <div class="projector-lang">
        <LangSwitch />
      </div>
      <h1>{t("pairing.title")}</h1>
      <p class="big-text">{t("pairing.instructions")}</p>
      <p class="pairing-code" data-testid="pairing-code" aria-label={t("pairing.codeLabel")}>
        {request ? request.code : "······"}
      </p>
      <p class="muted big-text" role="status">
        {error ? t("pairing.retrying", { reason: error }) : t("pairing.waiting")}
      </p>
    </main>
  );
}
