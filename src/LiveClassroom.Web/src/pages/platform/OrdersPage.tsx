import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { unwrap } from "../../api/lessons";
import type { Person } from "../../api/types";
import type { ClassOrder, ClassOrderGapRow, ClassOrderSlot } from "../../api/platform";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { WeeklySlots, firstSlot } from "../../components/WeeklySlots";
import { fieldErrors, required } from "../../components/validation";
import { useOrgTree, type FlatOrg } from "../admin/orgTree";
import { useLatest } from "../../components/latest";

const statuses = ["open", "accepted", "confirmed", "cancelled"] as const;

/** 按需点单: rural schools order, urban schools of the county accept, the county confirms (docs/API-PLATFORM.md). */
export function OrdersPage() {
  const tree = useOrgTree();
  const [status, setStatus] = useState<(typeof statuses)[number]>("open");
  const [orders, setOrders] = useState<ClassOrder[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const schools = tree.flat.filter((f) => f.org.kind === "school" && f.org.canAdminister);
  const ruralRooms = schools.filter((f) => f.org.isRural).flatMap((f) => (f.org.classrooms ?? []).map((c) => ({ id: c.id, label: `${f.org.name} · ${c.name}` })));
  const leadRooms = schools.filter((f) => !f.org.isRural).flatMap((f) => (f.org.classrooms ?? []).map((c) => ({ id: c.id, label: `${f.org.name} · ${c.name}`, schoolId: f.org.id })));
  const counties = tree.flat.filter((f) => f.org.kind === "county" && f.org.canAdminister);

  const latest = useLatest();

  async function load() {
    const mine = latest();
    try {
      const items = (await api.get<{ items: ClassOrder[] }>(`/api/class-orders?status=${status}`)).items;
      if (!mine()) return;
      setOrders(items);
      setError(null);
    } catch (e) {
      if (!mine()) return;
      setOrders([]);
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), [status]);

  async function act(order: ClassOrder, action: "confirm" | "cancel") {
    try {
      await api.post(`/api/class-orders/${order.id}/${action}`);
      setInfo(t(action === "confirm" ? "platform.orders.confirmed" : "platform.orders.cancelled", { subject: order.subject }));
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      {ruralRooms.length > 0 && <OrderForm rooms={ruralRooms} onCreated={() => (setStatus("open"), void load())} />}
      <div class="toolbar">
        <label for="orders-status">{t("platform.queue.status")}</label>
        <select id="orders-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as (typeof statuses)[number])}>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`platform.orders.status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <Notice text={error} />
      <Notice kind="info" text={info} testId="orders-info" />
      <table class="data" data-testid="orders-table">
        <thead>
          <tr>
            <th scope="col">{t("platform.orders.school")}</th>
            <th scope="col">{t("pairings.subject")}</th>
            <th scope="col">{t("pairings.grade")}</th>
            <th scope="col">{t("platform.orders.term")}</th>
            <th scope="col">{t("platform.orders.periods")}</th>
            <th scope="col">{t("platform.orders.lead")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {(orders ?? []).map((o) => (
            <tr key={o.id}>
              <th scope="row">
                {o.schoolName} · {o.ruralClassroomName}
              </th>
              <td>{o.subject}</td>
              <td>{o.grade}</td>
              <td>
                {o.termName}（{o.termStart}—{o.termEnd}）
              </td>
              <td>{t("platform.orders.perWeek", { count: o.weeklyPeriods })}</td>
              <td>{o.leadTeacherName ? `${o.leadSchoolName} · ${o.leadTeacherName}` : "—"}</td>
              <td class="actions">
                {o.status === "open" && leadRooms.some((r) => tree.flat.find((f) => f.org.id === r.schoolId)?.org.parentId === o.countyId) && (
                  <AcceptForm order={o} rooms={leadRooms} onDone={() => (setInfo(t("platform.orders.accepted", { subject: o.subject })), void load())} />
                )}
                {o.status === "accepted" && counties.length > 0 && (
                  <button type="button" class="small primary" onClick={() => void act(o, "confirm")}>
                    {t("platform.orders.confirm")}
                  </button>
                )}
                {o.status === "open" && (counties.length > 0 || schools.some((s) => s.org.id === o.schoolId)) && (
                  <button type="button" class="small secondary" onClick={() => void act(o, "cancel")}>
                    {t("platform.orders.cancel")}
                  </button>
                )}
              </td>
            </tr>
          ))}
          {orders?.length === 0 && (
            <tr>
              <td colSpan={7} class="muted">
                {t("platform.orders.none")}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {counties.length > 0 && <GapTable counties={counties} />}
    </>
  );
}

function OrderForm({ rooms, onCreated }: { rooms: { id: string; label: string }[]; onCreated: () => void }) {
  const [v, setV] = useState({ ruralClassroomId: "", subject: "", grade: "", textbookEdition: "", termName: "", termStart: "", termEnd: "", note: "" });
  const [slots, setSlots] = useState<ClassOrderSlot[]>([firstSlot()]);
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });
  const room = v.ruralClassroomId || rooms[0]?.id || "";

  async function submit(e: Event) {
    e.preventDefault();
    const local: Record<string, string | null> = {
      subject: required(v.subject), grade: required(v.grade), textbookEdition: required(v.textbookEdition), termName: required(v.termName),
      termStart: required(v.termStart), termEnd: required(v.termEnd),
    };
    setErrors(local);
    setFailure(null);
    if (Object.values(local).some(Boolean)) return;
    try {
      await api.post("/api/class-orders", { ...v, ruralClassroomId: room, slots, note: v.note || null });
      setV({ ...v, subject: "", note: "" });
      onCreated();
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorText(err));
    }
  }

  const text = (k: keyof typeof v, label: string, date = false) => (
    <Field id={`order-${k}`} label={label} error={errors[k]}>
      {date ? (
        <input {...inputProps(`order-${k}`, errors[k])} type="date" value={v[k]} onInput={set(k)} />
      ) : (
        <input {...inputProps(`order-${k}`, errors[k])} type="text" value={v[k]} onInput={set(k)} />
      )}
    </Field>
  );
  return (
    <form class="card" onSubmit={submit} noValidate data-testid="order-form">
      <h2>{t("platform.orders.new")}</h2>
      <Field id="order-room" label={t("platform.orders.classroom")}>
        <select id="order-room" value={room} onChange={set("ruralClassroomId")}>
          {rooms.map((r) => (
            <option key={r.id} value={r.id}>
              {r.label}
            </option>
          ))}
        </select>
      </Field>
      {text("subject", t("pairings.subject"))}
      {text("grade", t("pairings.grade"))}
      {text("textbookEdition", t("pairings.textbook"))}
      {text("termName", t("platform.orders.termName"))}
      {text("termStart", t("platform.orders.termStart"), true)}
      {text("termEnd", t("platform.orders.termEnd"), true)}
      <WeeklySlots legend={t("platform.orders.slots")} slots={slots} onChange={setSlots} />
      {text("note", t("platform.orders.note"))}
      <Notice text={failure} />
      <button type="submit" class="primary">
        {t("platform.orders.submit")}
      </button>
    </form>
  );
}

function AcceptForm({ order, rooms, onDone }: { order: ClassOrder; rooms: { id: string; label: string; schoolId: string }[]; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [room, setRoom] = useState(rooms[0]?.id ?? "");
  const [teacher, setTeacher] = useState("");
  const [teachers, setTeachers] = useState<Person[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const school = rooms.find((r) => r.id === room)?.schoolId;
  useEffect(() => {
    if (!open) return;
    api.get<unknown>("/api/people?pageSize=200")
      .then((b) => setTeachers(unwrap<Person>(b, "people").filter((p) => p.roles.some((r) => r.role === "lead_teacher" && r.organisationId === school))))
      .catch(() => setTeachers([]));
  }, [open, school]);
  if (!open) {
    return (
      <button type="button" class="small primary" onClick={() => setOpen(true)}>
        {t("platform.orders.accept")}
      </button>
    );
  }
  async function submit(e: Event) {
    e.preventDefault();
    try {
      await api.post(`/api/class-orders/${order.id}/accept`, { leadClassroomId: room, leadTeacherId: teacher || null });
      setOpen(false);
      onDone();
    } catch (err) {
      setFailure(errorText(err));
    }
  }
  return (
    <form class="inline-form" onSubmit={submit} noValidate>
      <select aria-label={t("platform.orders.leadClassroom")} value={room} onChange={(e) => setRoom(e.currentTarget.value)}>
        {rooms.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label}
          </option>
        ))}
      </select>
      <select aria-label={t("platform.orders.leadTeacher")} value={teacher} onChange={(e) => setTeacher(e.currentTarget.value)}>
        <option value="">{t("common.choose")}</option>
        {teachers.map((p) => (
          <option key={p.id} value={p.id}>
            {p.displayName}
          </option>
        ))}
      </select>
      <button type="submit" class="small primary">
        {t("platform.orders.acceptSubmit")}
      </button>
      <Notice text={failure} />
    </form>
  );
}

function GapTable({ counties }: { counties: FlatOrg[] }) {
  const [county, setCounty] = useState(counties[0]?.org.id ?? "");
  const [rows, setRows] = useState<ClassOrderGapRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!county) return;
    api.get<{ rows: ClassOrderGapRow[] }>(`/api/class-orders/gap?countyId=${county}`)
      .then((r) => (setRows(r.rows), setError(null)))
      .catch((e) => setError(errorText(e)));
  }, [county]);
  return (
    <section aria-labelledby="gap-title">
      <h2 id="gap-title">{t("platform.orders.gap")}</h2>
      <select aria-label={t("platform.orders.county")} value={county} onChange={(e) => setCounty(e.currentTarget.value)}>
        {counties.map((c) => (
          <option key={c.org.id} value={c.org.id}>
            {c.path}
          </option>
        ))}
      </select>
      <Notice text={error} />
      <table class="data" data-testid="orders-gap">
        <thead>
          <tr>
            <th scope="col">{t("pairings.subject")}</th>
            <th scope="col">{t("pairings.grade")}</th>
            <th scope="col">{t("platform.orders.status.open")}</th>
            <th scope="col">{t("platform.orders.status.accepted")}</th>
            <th scope="col">{t("platform.orders.status.confirmed")}</th>
            <th scope="col">{t("platform.orders.unmet")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.subject}-${r.grade}`}>
              <th scope="row">{r.subject}</th>
              <td>{r.grade}</td>
              <td>{r.open}</td>
              <td>{r.accepted}</td>
              <td>{r.confirmed}</td>
              <td>{r.unmet}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
