import { t } from "../../i18n";
import type { LiveClass } from "../../live/LiveClass";
import type { ClassroomView } from "../../live/classrooms";

/** Raised hands, oldest first, as the server orders them. */
export function HandQueue({ live, rooms, onError }: { live: LiveClass; rooms: ClassroomView[]; onError: (e: string | null) => void }) {
  const queue = live.snapshot?.handQueue ?? [];
  const name = (id: string) => rooms.find((r) => r.classroomId === id)?.name ?? t("classroom.unknown");
  return (
    <section class="panel hands" aria-labelledby="hands-title">
      <h2 id="hands-title">
        {t("hands.title")} <span class="count">{queue.length}</span>
      </h2>
      {queue.length === 0 ? (
        <p class="muted">{t("hands.none")}</p>
      ) : (
        <ol class="hand-list" data-testid="hand-queue">
          {queue.map((id) => (
            <li key={id}>
              <span>{name(id)}</span>
              <button type="button" class="small primary" onClick={async () => onError(await live.act("BringOnStage", id))}>
                {t("tiles.bringOn")}
              </button>
              <button type="button" class="small secondary" onClick={async () => onError(await live.act("DismissHand", id))}>
                {t("hands.dismiss")}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
