import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { session } from "../../api/session";
import { checkNetwork, rate, type NetworkFigures } from "../../media/networkCheck";

/**
 * The projector's pre-class network check: runs once when the waiting screen shows (and again on request), and
 * stops when the class starts (the page leaves the waiting screen), so it never competes with the class for the link.
 */
export function NetworkCheck() {
  const [figures, setFigures] = useState<NetworkFigures | null>(null);
  const [running, setRunning] = useState(true);
  const [failed, setFailed] = useState(false);
  const [run, setRun] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    setRunning(true);
    setFailed(false);
    checkNetwork(session.deviceToken(), abort.signal)
      .then((f) => setFigures(f))
      .catch(() => !abort.signal.aborted && setFailed(true))
      .finally(() => !abort.signal.aborted && setRunning(false));
    return () => abort.abort();
  }, [run]);

  const level = figures ? rate(figures) : null;
  return (
    <section class="network-check" aria-labelledby="network-check-title" data-testid="network-check">
      <h2 id="network-check-title">{t("netcheck.title")}</h2>
      {running && <p role="status">{t("netcheck.running")}</p>}
      {failed && !running && <p role="alert">{t("netcheck.failed")}</p>}
      {level && figures && !running && (
        <>
          <p class={`netcheck-level q-${level}`} data-testid="network-check-level" data-level={level}>
            {t(`quality.level.${level}`)}
          </p>
          <p data-testid="network-check-meaning">{t(`netcheck.meaning.${level}`)}</p>
          <p class="netcheck-figures" data-testid="network-check-figures">
            {t("netcheck.figures", { down: figures.downKbps, up: figures.upKbps, rtt: figures.rttMs, loss: figures.lossPercent })}
          </p>
        </>
      )}
      <button type="button" class="secondary" disabled={running} onClick={() => setRun((n) => n + 1)} data-testid="network-check-rerun">
        {t("netcheck.rerun")}
      </button>
    </section>
  );
}
