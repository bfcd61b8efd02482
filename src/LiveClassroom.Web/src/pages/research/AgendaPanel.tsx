import { t } from "../../i18n";
import { clock, type ResearchSession } from "../../api/research";
import type { ResearchLive } from "./ResearchLive";
import { segmentKindLabel, statusLabel, useTick } from "./util";

/** The agenda with the running segment, its local countdown and the host's start / advance / end. */
export function AgendaPanel({ session, live, act }: { session: ResearchSession; live: ResearchLive; act: (method: string, ...args: unknown[]) => void }) {
  useTick(1000);
  const s = live.snapshot;
  const seg = s?.currentSegment ?? null;
  const isHost = live.hub.myRole === "host";
  const status = s?.status ?? session.status;
  const count = s?.segmentCount || session.segments.length;
  // Counted down locally from the snapshot; the next snapshot corrects any drift.
  const remaining = seg ? seg.remainingSeconds - (status === "live" ? live.hub.sinceSnapshot() : 0) : 0;
  const overrun = remaining < 0;

  return (
    <section class="panel agenda" aria-labelledby="agenda-title">
      <h2 id="agenda-title">
        {t("research.agenda")} <span class={`badge status-${status}`} data-testid="session-status">{statusLabel(status)}</span>
      </h2>
      {seg ? (
        <div class="segment-now">
          <p class="segment-index">
            <span class="sr-only">{t("research.segmentNo")}</span>
            <span data-testid="segment-index">{`${seg.index + 1} / ${count}`}</span>
          </p>
          <p class="segment-title" data-testid="segment-title">{seg.title || segmentKindLabel(seg.kind)}</p>
          <p class={`segment-remaining${overrun ? " overrun" : ""}`}>
            <span class="sr-only">{overrun ? t("research.overrun") : t("research.remaining")}</span>
            <span data-testid="segment-remaining" role="timer" aria-live="off">{clock(remaining)}</span>
            {overrun && <span class="overrun-note">{t("research.overrun")}</span>}
          </p>
        </div>
      ) : (
        <p class="muted">{status === "ended" ? t("research.endedNote") : t("research.notStarted")}</p>
      )}
      <ol class="agenda-list plain-numbers">
        {session.segments.map((g, i) => {
          const current = seg?.index === i && status === "live";
          const done = (seg && i < seg.index) || status === "ended";
          return (
            <li key={g.position} class={current ? "current" : done ? "done" : ""} aria-current={current ? "step" : undefined}>
              <span>{i + 1}. {g.title || segmentKindLabel(g.kind)}</span>
              <span class="muted">{t("research.minutes", { n: g.plannedMinutes })}</span>
            </li>
          );
        })}
      </ol>
      {isHost && (
        <div class="host-controls" role="group" aria-label={t("research.hostControls")}>
          {status === "scheduled" && (
            <button type="button" class="primary" data-testid="btn-start" onClick={() => act("StartSession")}>
              {t("research.start")}
            </button>
          )}
          {status === "live" && (
            <>
              <button type="button" class="secondary" data-testid="btn-advance" onClick={() => act("AdvanceSegment")}>
                {t("research.advance")}
              </button>
              <button type="button" class="danger" data-testid="btn-end" onClick={() => act("EndSession")}>
                {t("research.end")}
              </button>
            </>
          )}
        </div>
      )}
    </section>
  );
}
