import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { fieldErrors, required } from "../../components/validation";
import type { FlatOrg } from "./orgTree";
import { roleLabel, roleNames } from "./roles";

type Errors = Record<string, string | null | undefined>;

/** Checks what the server would refuse, so most mistakes are explained before a round trip. */
function validate(v: { username: string; displayName: string; password: string; organisationId: string }): Errors {
  return {
    username: required(v.username) ?? (/^[a-z0-9_.-]{3,64}$/.test(v.username.trim().toLowerCase()) ? null : t("validation.username")),
    displayName: required(v.displayName) ?? (v.displayName.trim().length > 100 ? t("validation.tooLong") : null),
    password: v.password.length < 8 ? t("validation.password") : null,
    organisationId: v.organisationId ? null : t("validation.required"),
  };
}

export function PersonForm({ orgs, defaultOrg, onCreated }: { orgs: FlatOrg[]; defaultOrg: string; onCreated: () => void }) {
  const [v, setV] = useState({ username: "", displayName: "", password: "", organisationId: defaultOrg, role: "lead_teacher" });
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const set = (k: keyof typeof v) => (e: Event) => setV({ ...v, [k]: (e.currentTarget as HTMLInputElement).value });

  async function submit(e: Event) {
    e.preventDefault();
    setFailure(null);
    setDone(null);
    const local = validate(v);
    setErrors(local);
    const firstBad = Object.entries(local).find(([, m]) => m)?.[0];
    if (firstBad) {
      document.getElementById(`person-${firstBad}`)?.focus();
      return;
    }
    try {
      await api.post("/api/people", {
        organisationId: v.organisationId,
        username: v.username.trim().toLowerCase(),
        displayName: v.displayName.trim(),
        password: v.password,
        roles: v.role ? [{ role: v.role, organisationId: v.organisationId }] : [],
      });
      setDone(t("people.created", { name: v.displayName.trim() }));
      setV({ ...v, username: "", displayName: "", password: "" });
      onCreated();
    } catch (err) {
      const fields = fieldErrors(err);
      // "roles[0].role" → shown next to the role select.
      if (fields["roles[0].role"] || fields["roles[0].organisationId"]) fields.role = fields["roles[0].role"] ?? fields["roles[0].organisationId"];
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFailure(errorText(err));
    }
  }

  return (
    <form class="panel form-grid" noValidate onSubmit={submit} aria-labelledby="person-form-title" data-testid="person-form">
      <h2 id="person-form-title">{t("people.add")}</h2>
      <Field id="person-username" label={t("people.username")} error={errors.username} hint={t("people.usernameHint")}>
        <input {...inputProps("person-username", errors.username)} value={v.username} autocomplete="off" onInput={set("username")} />
      </Field>
      <Field id="person-displayName" label={t("people.displayName")} error={errors.displayName}>
        <input {...inputProps("person-displayName", errors.displayName)} value={v.displayName} onInput={set("displayName")} />
      </Field>
      <Field id="person-password" label={t("people.password")} error={errors.password} hint={t("validation.password")}>
        <input {...inputProps("person-password", errors.password)} type="password" autocomplete="new-password" value={v.password} onInput={set("password")} />
      </Field>
      <Field id="person-organisationId" label={t("people.organisation")} error={errors.organisationId}>
        <select {...inputProps("person-organisationId", errors.organisationId)} value={v.organisationId} onChange={set("organisationId")}>
          <option value="">{t("common.choose")}</option>
          {orgs.map((f) => (
            <option key={f.org.id} value={f.org.id}>{f.path}</option>
          ))}
        </select>
      </Field>
      <Field id="person-role" label={t("people.role")} error={errors.role}>
        <select {...inputProps("person-role", errors.role)} value={v.role} onChange={set("role")}>
          {roleNames.map((r) => (
            <option key={r} value={r}>{roleLabel(r)}</option>
          ))}
        </select>
      </Field>
      <Notice text={failure} />
      <Notice text={done} kind="info" />
      <button type="submit" class="primary">{t("common.create")}</button>
    </form>
  );
}
