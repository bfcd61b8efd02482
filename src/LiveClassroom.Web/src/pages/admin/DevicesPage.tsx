import { useEffect, useState } from "preact/hooks";
import { formatDateTime, t } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { unwrap } from "../../api/lessons";
import type { Device } from "../../api/types";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { ConfirmButton } from "../../components/ConfirmButton";
import { fieldErrors, required } from "../../components/validation";
import { allClassrooms, useOrgTree } from "./orgTree";
import { placeLabel } from "../../live/classrooms";

type Errors = Record<string, string | null | undefined>;
const codePattern = /^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/;

export function DevicesPage() {
  const tree = useOrgTree();
  const rooms = allClassrooms(tree.flat);
  const [devices, setDevices] = useState<(Device & { status?: string })[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [classroomId, setClassroomId] = useState("");
  const [name, setName] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const [done, setDone] = useState<string | null>(null);

  async function load() {
    try {
      setDevices(unwrap<Device>(await api.get<unknown>("/api/devices"), "devices"));
    } catch (e) {
      setDevices([]);
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  async function pair(e: Event) {
    e.preventDefault();
    setDone(null);
    setError(null);
    const normalised = code.toUpperCase().replace(/[\s-]/g, "");
    const local: Errors = {
      code: required(code) ?? (codePattern.test(normalised) ? null : t("devices.codeFormat")),
      classroomId: classroomId ? null : t("validation.required"),
      name: required(name),
    };
    setErrors(local);
    const firstBad = Object.entries(local).find(([, m]) => m)?.[0];
    if (firstBad) return document.getElementById(`pair-${firstBad}`)?.focus();
    try {
      await api.post("/api/devices/pair", { code: normalised, classroomId, name: name.trim() });
      setDone(t("devices.paired", { name: name.trim() }));
      setCode("");
      setName("");
      await load();
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setError(errorText(err));
    }
  }

  async function revoke(d: Device) {
    try {
      await api.post(`/api/devices/${d.id}/revoke`);
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  }

  return (
    <>
      <form class="panel form-grid" noValidate onSubmit={pair} aria-labelledby="pair-title" data-testid="pair-form">
        <h2 id="pair-title">{t("devices.pairTitle")}</h2>
        <p class="hint">{t("devices.pairHint")}</p>
        <Field id="pair-code" label={t("devices.code")} error={errors.code}>
          <input {...inputProps("pair-code", errors.code)} value={code} autocomplete="off" class="code-input" maxLength={12}
            onInput={(e) => setCode(e.currentTarget.value)} />
        </Field>
        <Field id="pair-classroomId" label={t("devices.classroom")} error={errors.classroomId}>
          <select {...inputProps("pair-classroomId", errors.classroomId)} value={classroomId} onChange={(e) => setClassroomId(e.currentTarget.value)}>
            <option value="">{t("common.choose")}</option>
            {rooms.map((r) => (
              <option key={r.id} value={r.id}>{r.label}</option>
            ))}
          </select>
        </Field>
        <Field id="pair-name" label={t("devices.name")} error={errors.name}>
          <input {...inputProps("pair-name", errors.name)} value={name} maxLength={100} placeholder={t("devices.namePlaceholder")}
            onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <Notice text={done} kind="info" />
        <button type="submit" class="primary">{t("devices.pair")}</button>
      </form>
      <Notice text={error} />
      <table class="data" data-testid="device-table">
        <caption class="sr-only">{t("admin.devices")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("devices.name")}</th>
            <th scope="col">{t("devices.classroom")}</th>
            <th scope="col">{t("devices.lastSeen")}</th>
            <th scope="col">{t("people.status")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {(devices ?? []).map((d) => {
            const revoked = d.status === "revoked" || !!d.revokedAt;
            return (
              <tr key={d.id} data-testid="device-row">
                <th scope="row">{d.name}</th>
                <td>{placeLabel(d.schoolName, d.classroomName)}</td>
                <td>{d.lastSeenAt ? formatDateTime(d.lastSeenAt) : t("devices.never")}</td>
                <td>{revoked ? t("devices.revoked") : t("people.active")}</td>
                <td>
                  {!revoked && (
                    <ConfirmButton class="small danger" label={t("devices.revoke")} question={t("devices.revokeConfirm", { name: d.name })}
                      confirmLabel={t("devices.revoke")} onConfirm={() => void revoke(d)} />
                  )}
                </td>
              </tr>
            );
          })}
          {devices?.length === 0 && (
            <tr>
              <td colSpan={5} class="muted">{t("devices.noneYet")}</td>
            </tr>
          )}
        </tbody>
      </table>
    </>
  );
}
