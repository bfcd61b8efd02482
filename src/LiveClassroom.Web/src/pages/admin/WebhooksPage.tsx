import { useEffect, useState } from "preact/hooks";
import { formatDateTime, t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { webhookEvents, type DeliveryStatus, type Webhook, type WebhookCreated, type WebhookDelivery, type WebhookList } from "../../api/webhooks";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { ConfirmButton } from "../../components/ConfirmButton";
import { fieldErrors } from "../../components/validation";
import { useLatest } from "../../components/latest";

type Errors = Record<string, string | null | undefined>;

const eventLabels: Record<(typeof webhookEvents)[number], MessageKey> = {
  "class.opened": "webhooks.event.classOpened",
  "class.ended": "webhooks.event.classEnded",
  "attendance.closed": "webhooks.event.attendanceClosed",
  "recording.ready": "webhooks.event.recordingReady",
  "recording.published": "webhooks.event.recordingPublished",
  "recording.taken_down": "webhooks.event.recordingTakenDown",
  "research.session_ended": "webhooks.event.researchSessionEnded",
  "review.decided": "webhooks.event.reviewDecided",
  "registration.decided": "webhooks.event.registrationDecided",
};

const statusLabels: Record<DeliveryStatus, MessageKey> = {
  queued: "webhooks.status.queued",
  running: "webhooks.status.running",
  succeeded: "webhooks.status.succeeded",
  failed: "webhooks.status.failed",
};

function eventLabel(type: string): string {
  return type in eventLabels ? t(eventLabels[type as keyof typeof eventLabels]) : type;
}

/** 管理 → Webhooks: the receivers of the organisations the admin runs, their recent deliveries, and replays. */
export function WebhooksPage() {
  const [list, setList] = useState<WebhookList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<WebhookCreated | null>(null);
  const [openHook, setOpenHook] = useState<string | null>(null);

  async function load() {
    try {
      setList(await api.get<WebhookList>("/api/webhooks"));
    } catch (e) {
      setList({ webhooks: [], events: [], organisations: [] });
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  async function toggle(h: Webhook) {
    setError(null);
    try {
      await api.patch(`/api/webhooks/${h.id}`, { enabled: !h.enabled });
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  async function remove(h: Webhook) {
    setError(null);
    try {
      await api.delete(`/api/webhooks/${h.id}`);
      if (openHook === h.id) setOpenHook(null);
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      <p class="hint">{t("webhooks.intro")}</p>
      {list && list.organisations.length > 0 && (
        <CreateForm organisations={list.organisations} onCreated={async (c) => (setCreated(c), await load())} />
      )}
      {created && (
        <section class="panel" role="alert" data-testid="webhook-secret">
          <h2>{t("webhooks.secretTitle")}</h2>
          <p>{t("webhooks.secretHint")}</p>
          <p>
            <code class="secret" data-testid="webhook-secret-value">{created.secret}</code>
          </p>
          <button type="button" class="secondary" onClick={() => setCreated(null)}>{t("webhooks.secretDone")}</button>
        </section>
      )}
      <Notice text={error} />
      <table class="data" data-testid="webhook-table">
        <caption class="sr-only">{t("admin.webhooks")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("webhooks.url")}</th>
            <th scope="col">{t("webhooks.organisation")}</th>
            <th scope="col">{t("webhooks.events")}</th>
            <th scope="col">{t("people.status")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {(list?.webhooks ?? []).map((h) => (
            <tr key={h.id} data-testid="webhook-row">
              <th scope="row">
                <span class="url">{h.url}</span>
                {h.description && <div class="muted">{h.description}</div>}
              </th>
              <td>{h.organisationName}</td>
              <td>{h.events.map(eventLabel).join("、")}</td>
              <td>{h.enabled ? t("webhooks.enabled") : t("webhooks.disabled")}</td>
              <td>
                <button type="button" class="small secondary" data-testid="webhook-deliveries" aria-expanded={openHook === h.id}
                  onClick={() => setOpenHook(openHook === h.id ? null : h.id)}>
                  {t("webhooks.deliveries")}
                </button>{" "}
                <button type="button" class="small secondary" data-testid="webhook-toggle" onClick={() => void toggle(h)}>
                  {h.enabled ? t("webhooks.disable") : t("webhooks.enable")}
                </button>{" "}
                <ConfirmButton class="small danger" label={t("common.remove")} question={t("webhooks.removeConfirm", { url: h.url })}
                  confirmLabel={t("common.remove")} testId="webhook-remove" onConfirm={() => void remove(h)} />
              </td>
            </tr>
          ))}
          {list?.webhooks.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">{t("webhooks.noneYet")}</td>
            </tr>
          )}
        </tbody>
      </table>
      {openHook && <Deliveries hookId={openHook} key={openHook} />}
    </>
  );
}

function CreateForm(props: { organisations: WebhookList["organisations"]; onCreated: (c: WebhookCreated) => Promise<void> }) {
  const [organisationId, setOrganisationId] = useState(props.organisations[0]?.id ?? "");
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [events, setEvents] = useState<string[]>(["class.ended", "recording.ready"]);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);

  async function submit(e: Event) {
    e.preventDefault();
    setError(null);
    const local: Errors = {
      url: url.trim().startsWith("https://") || url.trim().startsWith("http://127.0.0.1") || url.trim().startsWith("http://localhost")
        ? null : t("webhooks.httpsRequired"),
      events: events.length > 0 ? null : t("webhooks.pickEvent"),
    };
    setErrors(local);
    if (local.url) return document.getElementById("hook-url")?.focus();
    if (local.events) return;
    try {
      const created = await api.post<WebhookCreated>("/api/webhooks", {
        organisationId, url: url.trim(), events, description: description.trim() || undefined,
      });
      setUrl("");
      setDescription("");
      await props.onCreated(created);
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      setError(errorText(err));
    }
  }

  function flip(ev: string, on: boolean) {
    setEvents(on ? [...events.filter((x) => x !== ev), ev] : events.filter((x) => x !== ev));
  }

  return (
    <form class="panel form-grid" noValidate onSubmit={submit} aria-labelledby="hook-title" data-testid="webhook-form">
      <h2 id="hook-title">{t("webhooks.createTitle")}</h2>
      {props.organisations.length > 1 && (
        <Field id="hook-org" label={t("webhooks.organisation")} error={errors.organisationId}>
          <select {...inputProps("hook-org", errors.organisationId)} value={organisationId} onChange={(e) => setOrganisationId(e.currentTarget.value)}>
            {props.organisations.map((o) => (
              <option key={o.id} value={o.id}>{o.name}</option>
            ))}
          </select>
        </Field>
      )}
      <Field id="hook-url" label={t("webhooks.url")} error={errors.url}>
        <input {...inputProps("hook-url", errors.url)} type="url" value={url} maxLength={2000} placeholder="https://"
          onInput={(e) => setUrl(e.currentTarget.value)} />
      </Field>
      <Field id="hook-description" label={t("webhooks.description")} error={errors.description}>
        <input {...inputProps("hook-description", errors.description)} value={description} maxLength={200}
          onInput={(e) => setDescription(e.currentTarget.value)} />
      </Field>
      <fieldset class="checks">
        <legend>{t("webhooks.events")}</legend>
        {webhookEvents.map((ev) => (
          <label key={ev}>
            <input type="checkbox" value={ev} checked={events.includes(ev)} onChange={(e) => flip(ev, e.currentTarget.checked)} />{" "}
            {t(eventLabels[ev])} <code>{ev}</code>
          </label>
        ))}
        {errors.events && <p class="field-error">{errors.events}</p>}
      </fieldset>
      <Notice text={error} />
      <button type="submit" class="primary">{t("common.create")}</button>
    </form>
  );
}

function Deliveries({ hookId }: { hookId: string }) {
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const latest = useLatest();

  async function load() {
    const mine = latest();
    try {
      const deliveries = (await api.get<{ deliveries: WebhookDelivery[] }>(`/api/webhooks/${hookId}/deliveries`)).deliveries;
      if (!mine()) return;
      setItems(deliveries);
    } catch (e) {
      if (!mine()) return;
      setItems([]);
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), [hookId]);
  // While something is still on its way, look again shortly: the admin watches a delivery land (or fail) without clicking.
  const pending = (items ?? []).some((d) => d.status === "queued" || d.status === "running");
  useEffect(() => {
    if (!pending) return;
    const timer = window.setTimeout(() => void load(), 1500);
    return () => window.clearTimeout(timer);
  }, [items, pending]);

  async function replay(d: WebhookDelivery) {
    setError(null);
    setDone(null);
    try {
      await api.post(`/api/webhooks/deliveries/${d.id}/replay`);
      setDone(t("webhooks.replayed", { event: eventLabel(d.eventType) }));
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <section class="panel" aria-labelledby="deliveries-title" data-testid="webhook-delivery-list">
      <h2 id="deliveries-title">{t("webhooks.recentDeliveries")}</h2>
      <button type="button" class="small secondary" onClick={() => void load()}>{t("webhooks.refresh")}</button>
      <Notice text={done} kind="info" />
      <Notice text={error} />
      <table class="data">
        <thead>
          <tr>
            <th scope="col">{t("webhooks.event")}</th>
            <th scope="col">{t("webhooks.createdAt")}</th>
            <th scope="col">{t("people.status")}</th>
            <th scope="col">{t("webhooks.response")}</th>
            <th scope="col">{t("webhooks.attempts")}</th>
            <th scope="col">{t("webhooks.nextAttempt")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {(items ?? []).map((d) => (
            <tr key={d.id} data-testid="webhook-delivery">
              <th scope="row">{eventLabel(d.eventType)}</th>
              <td>{formatDateTime(d.createdAt)}</td>
              <td data-testid="webhook-delivery-status" data-status={d.status}>{t(statusLabels[d.status])}</td>
              <td>{d.lastStatusCode ?? (d.lastError ? <span title={d.lastError}>{t("webhooks.noAnswer")}</span> : "—")}</td>
              <td>{d.attempts} / {d.maxAttempts}</td>
              <td>{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : "—"}</td>
              <td>
                <button type="button" class="small secondary" data-testid="webhook-replay" onClick={() => void replay(d)}>
                  {t("webhooks.replay")}
                </button>
              </td>
            </tr>
          ))}
          {items?.length === 0 && (
            <tr>
              <td colSpan={7} class="muted">{t("webhooks.noDeliveries")}</td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
