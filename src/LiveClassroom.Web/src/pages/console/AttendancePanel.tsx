import { t } from "../../i18n";
import type { LiveClass } from "../../live/LiveClass";
import type { ClassroomView } from "../../live/classrooms";

function minutes(c: ClassroomView): string {
  if (c.minutesPresent !== undefined) return String(c.minutesPresent);
  if (!c.joinedAt) return "—";
  return String(Math.max(0, Math.floor((Date.now() - Date.parse(c.joinedAt)) / 60000)));
}

/** Present/absent per classroom with minutes attended and reconnects, for the teacher at a glance. */
export function AttendancePanel({ live, rooms }: { live: LiveClass; rooms: ClassroomView[] }) {
  const a = live.snapshot?.attendance;
  const present = rooms.filter((r) => r.present).length;
  return (
    <section class="panel attendance" aria-labelledby="attendance-title">
      <h2 id="attendance-title">
        {t("attendance.title")}{" "}
        <span class="count" data-testid="attendance-count">
          {t("attendance.summary", { present: a?.present ?? present, expected: a?.expected ?? rooms.length })}
        </span>
      </h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("attendance.classroom")}</th>
            <th scope="col">{t("attendance.status")}</th>
            <th scope="col">{t("attendance.minutes")}</th>
            <th scope="col">{t("attendance.reconnects")}</th>
          </tr>
        </thead>
        <tbody>
          {rooms.map((r) => (
            <tr key={r.classroomId} data-testid="attendance-row">
              <th scope="row">{r.name}</th>
              <td class={r.present ? "ok" : "bad"}>{r.present ? t("attendance.present") : r.connection === "lost" ? t("tiles.lost") : t("attendance.absent")}</td>
              <td>{minutes(r)}</td>
              <td>{r.reconnects ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
