import { useEffect, useRef } from "preact/hooks";
import { t } from "../../i18n";
import type { CeReportRow } from "../../api/ce";

/**
 * Earned against expected hours per teacher (behind first, as the report orders them); at most 40 bars. chart.js is
 * loaded on first use, so pages without a chart do not carry it.
 */
export function CeChart({ rows }: { rows: CeReportRow[] }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let cancelled = false;
    void import("chart.js").then(({ BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip }) => {
      if (cancelled || !canvas.current) return;
      Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);
      const shown = rows.slice(0, 40);
      chart = new Chart(canvas.current, {
      type: "bar",
      data: {
        labels: shown.map((r) => r.name),
        datasets: [
          { label: t("ce.earned"), data: shown.map((r) => r.earnedHours), backgroundColor: shown.map((r) => (r.behind ? "#c0392b" : "#2e7d32")) },
          { label: t("ce.expected"), data: shown.map((r) => r.expectedHours), backgroundColor: "#9e9e9e" },
        ],
      },
      options: { responsive: true, maintainAspectRatio: false, animation: false, scales: { y: { beginAtZero: true } } },
      });
      canvas.current.dataset.ready = "true";
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [rows]);
  return (
    <div class="ce-chart">
      <canvas ref={canvas} role="img" aria-label={t("ce.chartLabel")} data-testid="ce-chart" />
    </div>
  );
}
