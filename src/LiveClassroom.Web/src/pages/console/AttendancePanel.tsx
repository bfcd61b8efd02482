import { t } from "../../i18n";
import type { ClassroomView } from "../../live/classrooms";

function minutes(c: ClassroomView): string {
  return c.minutesPresent === null ? "—" : String(Math.round(c.minutesPresent));
}

/** Present/absent per classroom with minutes attended and reconnects, for the teacher at a glance. */
export function AttendancePanel({ rooms }: { rooms: ClassroomView[] }) {
  const present = rooms.filter((r) => r.present).length;
  return (
    <section class="panel attendance" aria-labelledby="attendance-title">
      <h2 id="attendance-title">
        {t("attendance.title")}{" "}
        <span class="count" data-testid="attendance-count">
          {t("attendance.summary", { present, expected: rooms.length })}
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
              <td class={r.present ? "ok" : "bad"}>{r.present ? t("attendance.present") : r.connection === "Reconnecting" ? t("tiles.lost") : t("attendance.absent")}</td>
              <td>{minutes(r)}</td>
              <td>{r.reconnects ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
