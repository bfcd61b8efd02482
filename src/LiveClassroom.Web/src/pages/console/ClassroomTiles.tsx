import { t } from "../../i18n";
import type { LiveClass } from "../../live/LiveClass";
import type { ClassroomView } from "../../live/classrooms";
import { VideoView } from "../../components/MediaView";

const qualityKey = { good: "quality.good", fair: "quality.fair", poor: "quality.poor", unknown: "quality.unknown" } as const;

function QualityMeter({ c }: { c: ClassroomView }) {
  const bars = { good: 3, fair: 2, poor: 1, unknown: 0 }[c.quality];
  const detail = c.stats ? t("quality.detail", { rtt: Math.round(c.stats.roundTripTimeMs), loss: Math.round(c.stats.packetLoss * 100) }) : "";
  return (
    <span class={`quality q-${c.quality}`} title={detail} data-testid="quality">
      <span class="bars" aria-hidden="true">
        {[1, 2, 3].map((i) => (
          <i key={i} class={i <= bars ? "on" : ""} />
        ))}
      </span>
      <span>{t(qualityKey[c.quality])}</span>
      {detail && <span class="sr-only">{detail}</span>}
    </span>
  );
}

/** What the SFU measures on this classroom's link now: round trip, loss of what it receives, and its received bitrate. */
function LinkLine({ live, classroomId }: { live: LiveClass; classroomId: string }) {
  const l = live.links.get(classroomId);
  if (!l) return null;
  const figures = {
    rtt: Math.round(l.roundTripTimeMs),
    loss: (l.downLoss * 100).toFixed(1),
    kbps: Math.round(l.downBitrateBps / 1000),
  };
  return (
    <p class="link-figures" data-testid="link-figures" title={t("tiles.linkTitle")}>
      {t("tiles.link", figures)}
    </p>
  );
}

/** One tile per rural classroom: who is there, how good the link is, its video while on stage, and controls. */
export function ClassroomTiles({ live, rooms, onError }: { live: LiveClass; rooms: ClassroomView[]; onError: (e: string | null) => void }) {
  const ended = live.snapshot?.state === "Ended";
  const act = async (method: string, ...args: unknown[]) => onError(await live.act(method, ...args));
  if (rooms.length === 0) return <p class="empty">{t("tiles.none")}</p>;
  return (
    <ul class="tiles" aria-label={t("tiles.title")}>
      {rooms.map((c) => {
        const stream = c.stageSeat ? live.media.streams.get(`stage${c.stageSeat}`) : undefined;
        return (
        <li key={c.classroomId} class={`tile${c.stageSeat ? " on-stage" : ""}${c.present ? "" : " absent"}`} data-testid="classroom-tile" data-classroom={c.classroomId}>
          <div class="tile-video">
            {c.stageSeat && stream ? (
              <>
                <VideoView stream={stream} label={t("tiles.videoOf", { name: c.name })} testId="stage-video" />
                {live.mediaGone(c.classroomId) ? (
                  <p class="stalled-note" role="status" data-testid="stage-media-lost">{t("tiles.stalled", { name: c.name })}</p>
                ) : (
                  live.media.stalled(`stage${c.stageSeat}`) && (
                    <p class="stalled-note" role="status" data-testid="stage-stalled">{t("tiles.stalled", { name: c.name })}</p>
                  )
                )}
              </>
            ) : (
              <div class="no-video">{c.present ? t("tiles.offStage") : t("tiles.absent")}</div>
            )}
          </div>
          <div class="tile-head">
            <strong>{c.name}</strong>
            <QualityMeter c={c} />
          </div>
          <LinkLine live={live} classroomId={c.classroomId} />
          <div class="tile-flags">
            {c.handPosition !== null && <span class="badge hand">{t("tiles.hand", { n: c.handPosition })}</span>}
            {c.stageSeat && <span class="badge live">{t("tiles.onStage")}</span>}
            {c.muted && <span class="badge muted-flag">{t("tiles.muted")}</span>}
            {c.connection === "Reconnecting" && <span class="badge lost">{t("tiles.lost")}</span>}
          </div>
          <div class="tile-actions">
            {c.stageSeat ? (
              <button type="button" class="secondary" disabled={ended} onClick={() => void act("TakeOffStage", c.classroomId)}>
                {t("tiles.takeOff")}
              </button>
            ) : (
              <button type="button" class="primary" disabled={ended || !c.present} onClick={() => void act("BringOnStage", c.classroomId)}>
                {t("tiles.bringOn")}
              </button>
            )}
            {c.muted ? (
              <button type="button" class="secondary" disabled={ended} onClick={() => void act("UnmuteClassroom", c.classroomId)}>
                {t("tiles.unmute")}
              </button>
            ) : (
              <button type="button" class="secondary" disabled={ended} onClick={() => void act("MuteClassroom", c.classroomId)}>
                {t("tiles.mute")}
              </button>
            )}
          </div>
        </li>
        );
      })}
    </ul>
  );
}
