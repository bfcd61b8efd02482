import { useEffect, useRef } from "preact/hooks";
import { CategoryScale, Chart, LineController, LineElement, LinearScale, PointElement, Tooltip } from "chart.js";
import { t } from "../../i18n";

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip);

/** The last minutes of one classroom's link: round trip (ms) and loss (%), one point per pushed frame. */
export interface LinkHistory {
  labels: string[];
  rtt: (number | null)[];
  loss: (number | null)[];
}

/** Points kept per classroom: five minutes at one frame a second. */
export const HistoryPoints = 300;

export function appendHistory(h: LinkHistory, label: string, rtt: number | null, loss: number | null): void {
  h.labels.push(label);
  h.rtt.push(rtt);
  h.loss.push(loss);
  if (h.labels.length > HistoryPoints) {
    h.labels.shift();
    h.rtt.shift();
    h.loss.shift();
  }
}

/** A small chart (chart.js) of a classroom's history, redrawn without animation whenever `version` changes. */
export function NetworkChart({ history, version }: { history: LinkHistory; version: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  useEffect(() => {
    if (!canvas.current) return;
    chart.current = new Chart(canvas.current, {
      type: "line",
      data: {
        labels: history.labels,
        datasets: [
          { label: t("live.chart.rtt"), data: history.rtt, borderColor: "#1565c0", borderWidth: 1.5, pointRadius: 0, yAxisID: "rtt", spanGaps: true },
          { label: t("live.chart.loss"), data: history.loss, borderColor: "#c62828", borderWidth: 1.5, pointRadius: 0, yAxisID: "loss", spanGaps: true },
        ],
      },
      options: {
        animation: false,
        responsive: false,
        plugins: { legend: { display: false }, tooltip: { enabled: true, mode: "index", intersect: false } },
        scales: {
          x: { display: false },
          rtt: { position: "left", beginAtZero: true, ticks: { maxTicksLimit: 3, font: { size: 9 } } },
          loss: { position: "right", beginAtZero: true, suggestedMax: 5, grid: { display: false }, ticks: { maxTicksLimit: 3, font: { size: 9 } } },
        },
      },
    });
    return () => {
      chart.current?.destroy();
      chart.current = null;
    };
  }, [history]);
  useEffect(() => {
    chart.current?.update("none");
  }, [version]);
  return <canvas ref={canvas} width={220} height={56} class="net-chart" role="img" aria-label={t("live.history")} data-testid="net-chart" />;
}
