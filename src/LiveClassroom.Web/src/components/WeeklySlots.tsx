import { t, type MessageKey } from "../i18n";
import type { ClassOrderSlot } from "../api/platform";

const days = [1, 2, 3, 4, 5, 6, 7];

/** A new weekly period's defaults: Monday 09:00, one 40-minute lesson. */
export const firstSlot = (): ClassOrderSlot => ({ day: 1, start: "09:00", durationMinutes: 40 });

/** The weekly periods of a term (a class order's or a pairing's): day, start and length per row, rows added and removed. */
export function WeeklySlots({ legend, slots, onChange }: { legend: string; slots: ClassOrderSlot[]; onChange: (slots: ClassOrderSlot[]) => void }) {
  const update = (i: number, change: Partial<ClassOrderSlot>) => onChange(slots.map((x, j) => (j === i ? { ...x, ...change } : x)));
  return (
    <fieldset>
      <legend>{legend}</legend>
      {slots.map((s, i) => (
        <div class="inline-form" key={i}>
          <select aria-label={t("platform.orders.day")} value={s.day} onChange={(e) => update(i, { day: Number(e.currentTarget.value) })}>
            {days.map((d) => (
              <option key={d} value={d}>
                {t(`platform.orders.day${d}` as MessageKey)}
              </option>
            ))}
          </select>
          <input aria-label={t("platform.orders.start")} type="time" value={s.start} onInput={(e) => update(i, { start: e.currentTarget.value })} />
          <input aria-label={t("platform.orders.minutes")} type="number" min={10} max={240} value={s.durationMinutes}
            onInput={(e) => update(i, { durationMinutes: Number(e.currentTarget.value) })} />
          {slots.length > 1 && (
            <button type="button" class="small secondary" onClick={() => onChange(slots.filter((_, j) => j !== i))}>
              {t("common.remove")}
            </button>
          )}
        </div>
      ))}
      <button type="button" class="small secondary" onClick={() => onChange([...slots, firstSlot()])}>
        {t("platform.orders.addSlot")}
      </button>
    </fieldset>
  );
}
