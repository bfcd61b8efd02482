import { t } from "../../i18n";
import { clock } from "../../api/research";
import type { ResearchLive } from "./ResearchLive";
import { useTick } from "./util";

/** The speaker and the queue: participants ask for / withdraw from the floor, the host grants, host or speaker ends the turn. */
export function FloorPanel({ live, act }: { live: ResearchLive; act: (method: string, ...args: unknown[]) => void }) {
  useTick(1000);
  const s = live.snapshot;
  if (!s) return null;
  const me = live.hub.personId;
  const role = live.hub.myRole;
  const isHost = role === "host";
  const speaker = s.speaker;
  const queued = !!me && s.speakerQueue.includes(me);
  const nameOf = (id: string) => s.participants.find((p) => p.personId === id)?.displayName ?? t("research.someone");
  const turnLeft = speaker ? speaker.remainingSeconds - live.hub.sinceSnapshot() : 0;
  const running = s.status === "live";

  return (
    <section class="panel floor" aria-labelledby="floor-title">
      <h2 id="floor-title">{t("research.floor")}</h2>
      <div class="speaker-now">
        {/* Only the name is announced; the countdown beside it would speak every second. */}
        <p aria-live="polite" aria-atomic="true">
          {speaker ? (
            <>
              {t("research.speaking")}
              <strong data-testid="speaker-name">{speaker.displayName}</strong>
            </>
          ) : (
            <span class="muted">{t("research.nobodySpeaking")}</span>
          )}
        </p>
        {speaker && (
          <p class="turn-left" role="timer" aria-label={t("research.turnLeft")} data-testid="turn-remaining">{clock(Math.max(0, turnLeft))}</p>
        )}
      </div>
      {speaker && (isHost || speaker.personId === me) && (
        <button type="button" class="secondary" data-testid="btn-end-turn" onClick={() => act("EndTurn")}>
          {t("research.endTurn")}
        </button>
      )}
      {role === "participant" && running && speaker?.personId !== me && (
        queued ? (
          <button type="button" class="secondary" data-testid="btn-withdraw-floor" onClick={() => act("WithdrawFloor")}>
            {t("research.withdraw")}
          </button>
        ) : (
          <button type="button" class="primary" data-testid="btn-request-floor" onClick={() => act("RequestFloor")}>
            {t("research.request")}
          </button>
        )
      )}
      <h3 id="queue-title">
        {t("research.queue")} <span class="count">({s.speakerQueue.length})</span>
      </h3>
      {s.speakerQueue.length === 0 ? (
        <p class="muted" data-testid="speaker-queue-empty">{t("research.queueEmpty")}</p>
      ) : null}
      <ol class="queue" data-testid="speaker-queue" aria-labelledby="queue-title">
        {s.speakerQueue.map((id) => (
          <li key={id} data-testid="queue-item" data-person-id={id}>
            <span>{nameOf(id)}{id === me ? ` ${t("research.you")}` : ""}</span>
            {isHost && (
              <button type="button" class="small primary" data-testid="btn-grant" onClick={() => act("GrantFloor", id)}
                aria-label={t("research.grantTo", { name: nameOf(id) })}>
                {t("research.grant")}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
