import { useEffect, useState } from "preact/hooks";
import { formatTime, t } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { unwrap } from "../../api/lessons";
import type { LiveRoom } from "../../api/types";
import { Notice } from "../../components/Notice";
import { placeLabel, quality, qualityLevelKey } from "../../live/classrooms";

/** Rooms live right now with each classroom's presence and link quality; refreshed every 5 s. */
export function LiveRoomsPage() {
  const [rooms, setRooms] = useState<LiveRoom[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let timer: number | undefined;
    let stopped = false;
    const load = async () => {
      try {
        const body = await api.get<unknown>("/api/rooms/live");
        if (stopped) return;
        setRooms(unwrap<LiveRoom>(body, "rooms"));
        setError(null);
      } catch (e) {
        if (stopped) return;
        setRooms((r) => r ?? []);
        setError(errorText(e));
      }
      timer = window.setTimeout(load, 5000);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);

  return (
    <>
      <Notice text={error} />
      {rooms?.length === 0 && !error && <p class="empty">{t("live.none")}</p>}
      <div class="live-rooms" data-testid="live-rooms">
        {(rooms ?? []).map((r) => (
          <section class="panel" key={r.classId} aria-label={r.title || r.pairingName}>
            <h2>{r.title || r.pairingName}</h2>
            <p class="muted">
              {[r.pairingName, r.openedAt ? t("live.since", { time: formatTime(r.openedAt) }) : null, r.ownerUrl].filter(Boolean).join(" · ")}
            </p>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{t("attendance.classroom")}</th>
                  <th scope="col">{t("attendance.status")}</th>
                  <th scope="col">{t("live.quality")}</th>
                  <th scope="col">{t("live.rtt")}</th>
                  <th scope="col">{t("live.loss")}</th>
                  <th scope="col">{t("live.bitrate")}</th>
                </tr>
              </thead>
              <tbody>
                {r.classrooms.map((c) => {
                  // The classroom's link is that of its connected participant (device or assistant teacher).
                  const p = r.participants.find((x) => x.classroomId === c.classroomId && x.connection === "Connected" && x.stats);
                  const st = p?.stats;
                  const flags = [c.isLead && t("live.lead"), c.stageSeat && t("live.onStage"), c.mutedByLead && t("live.muted")].filter(Boolean).join(" · ");
                  return (
                    <tr key={c.classroomId}>
                      <th scope="row">{placeLabel(c.schoolName, c.name)}</th>
                      <td>{c.present ? t("attendance.present") : t("attendance.absent")}{flags ? ` · ${flags}` : ""}</td>
                      <td data-testid="live-quality">{p ? t(qualityLevelKey[quality(p)]) : "—"}</td>
                      <td>{st ? `${Math.round(st.roundTripTimeMs)} ms` : "—"}</td>
                      <td>{st ? `${(st.packetLoss * 100).toFixed(1)}%` : "—"}</td>
                      <td>{st ? `${Math.round(st.inboundBitrateBps / 1000)} / ${Math.round(st.outboundBitrateBps / 1000)} kbit/s` : "—"}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </>
  );
}
