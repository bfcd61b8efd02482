import { useEffect, useRef } from "preact/hooks";
import type { Chart } from "chart.js";
import { t } from "../../i18n";

// chart.js (~160 KB) is loaded only by this page, in a chunk of its own: projectors on rural links never fetch it.
let chartModule: Promise<typeof Chart> | null = null;
function loadChart(): Promise<typeof Chart> {
  chartModule ??= import("chart.js").then((m) => {
    m.Chart.register(m.LineController, m.LineElement, m.PointElement, m.LinearScale, m.CategoryScale, m.Tooltip);
    return m.Chart;
  });
  return chartModule;
}

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
    let disposed = false;
    void loadChart().then((ChartClass) => {
      if (disposed || !canvas.current) return;
      chart.current = new ChartClass(canvas.current, {
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
    });
    return () => {
      disposed = true;
      chart.current?.destroy();
      chart.current = null;
    };
  }, [history]);
  useEffect(() => {
    chart.current?.update("none");
  }, [version]);
  return <canvas ref={canvas} width={220} height={56} class="net-chart" role="img" aria-label={t("live.history")} data-testid="net-chart" />;
}
