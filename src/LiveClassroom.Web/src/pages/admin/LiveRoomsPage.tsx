import { useEffect, useState } from "preact/hooks";
import { formatTime, t } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { unwrap } from "../../api/lessons";
import type { LiveRoom } from "../../api/types";
import { Notice } from "../../components/Notice";

/** Rooms live right now with each classroom's presence and link quality; refreshed every 5 s. */
export function LiveRoomsPage() {
  const [rooms, setRooms] = useState<LiveRoom[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let timer: number | undefined;
    const load = async () => {
      try {
        setRooms(unwrap<LiveRoom>(await api.get<unknown>("/api/rooms/live"), "rooms"));
        setError(null);
      } catch (e) {
        setRooms((r) => r ?? []);
        setError(errorText(e));
      }
      timer = window.setTimeout(load, 5000);
    };
    void load();
    return () => clearTimeout(timer);
  }, []);

  return (
    <>
      <Notice text={error} />
      {rooms?.length === 0 && !error && <p class="empty">{t("live.none")}</p>}
      <div class="live-rooms" data-testid="live-rooms">
        {(rooms ?? []).map((r) => (
          <section class="panel" key={r.classId} aria-label={r.title ?? r.classId}>
            <h2>{r.title ?? r.leadClassroomName ?? r.classId}</h2>
            <p class="muted">
              {[r.leadTeacherName, r.leadClassroomName, r.startedAt ? t("live.since", { time: formatTime(r.startedAt) }) : null, r.node].filter(Boolean).join(" · ")}
            </p>
            <table class="data">
              <thead>
                <tr>
                  <th scope="col">{t("attendance.classroom")}</th>
                  <th scope="col">{t("attendance.status")}</th>
                  <th scope="col">{t("live.rtt")}</th>
                  <th scope="col">{t("live.loss")}</th>
                  <th scope="col">{t("live.bitrate")}</th>
                </tr>
              </thead>
              <tbody>
                {(r.classrooms ?? []).map((c) => (
                  <tr key={c.classroomId}>
                    <th scope="row">{c.name}</th>
                    <td>{c.present ? t("attendance.present") : t("attendance.absent")}{c.connectionState ? ` (${c.connectionState})` : ""}</td>
                    <td>{c.rttMs !== undefined ? `${Math.round(c.rttMs)} ms` : "—"}</td>
                    <td>{c.lossFraction !== undefined ? `${(c.lossFraction * 100).toFixed(1)}%` : "—"}</td>
                    <td>{c.inboundBitrateBps !== undefined ? `${Math.round(c.inboundBitrateBps / 1000)} kbit/s` : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
    </>
  );
}
