import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { parentKind, type PublicOrganisation, type RegistrationKind } from "../../api/platform";
import { Field, inputProps } from "../../components/Field";
import { LangSwitch } from "../../components/LangSwitch";
import { Notice } from "../../components/Notice";
import { fieldErrors, required } from "../../components/validation";
import { linkClick } from "../../router";
import { kinds, stages } from "./labels";

/** 实名注册: anyone may apply; the admin of the level above decides (docs/API-PLATFORM.md). */
export function RegisterPage() {
  const [orgs, setOrgs] = useState<PublicOrganisation[]>([]);
  const [kind, setKind] = useState<RegistrationKind>("teacher");
  const [form, setForm] = useState<Record<string, string>>({ stage: "primary", role: "" });
  const [isRural, setIsRural] = useState(false);
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .get<{ items: PublicOrganisation[] }>("/api/registrations/organisations")
      .then((r) => setOrgs(r.items))
      .catch((e) => setFailure(errorText(e)));
  }, []);

  const byId = new Map(orgs.map((o) => [o.id, o]));
  const path = (o: PublicOrganisation): string => {
    const parent = o.parentId ? byId.get(o.parentId) : undefined;
    return parent ? `${path(parent)} / ${o.name}` : o.name;
  };
  const parents = orgs.filter((o) => o.kind === parentKind[kind]).map((o) => ({ id: o.id, label: path(o) }));
  const set = (name: string) => (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value });
  const value = (name: string) => form[name] ?? "";

  async function submit(e: Event) {
    e.preventDefault();
    const local: Record<string, string | null> = {
      parentId: required(value("parentId")),
      displayName: required(value("displayName")),
      username: required(value("username")),
      password: value("password").length >= 8 ? null : t("validation.password"),
    };
    if (kind === "teacher") {
      local.subject = required(value("subject"));
      if (!value("phone").trim() && !value("staffNumber").trim()) local.phone = t("platform.register.phoneOrStaff");
    } else {
      local.organisationName = required(value("organisationName"));
      local.phone = required(value("phone"));
    }
    setErrors(local);
    setFailure(null);
    const first = Object.entries(local).find(([, v]) => v);
    if (first) {
      document.getElementById(`reg-${first[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const teacher = kind === "teacher";
      await api.post("/api/registrations", {
        kind,
        parentId: value("parentId"),
        username: value("username").trim(),
        password: value("password"),
        displayName: value("displayName").trim(),
        phone: value("phone").trim() || null,
        staffNumber: teacher ? value("staffNumber").trim() || null : null,
        subject: teacher ? value("subject").trim() : null,
        stage: teacher ? value("stage") : null,
        role: teacher && value("role") ? value("role") : null,
        organisationName: teacher ? null : value("organisationName").trim(),
        isRural: kind === "school" ? isRural : null,
      });
      setDone(true);
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const text = (name: string, label: string, props: Record<string, unknown> = {}) => (
    <Field id={`reg-${name}`} label={label} error={errors[name]}>
      <input {...inputProps(`reg-${name}`, errors[name])} name={name} value={value(name)} onInput={set(name)} {...props} />
    </Field>
  );

  return (
    <main class="login-page">
      <div class="login-lang">
        <LangSwitch />
      </div>
      <form class="card login-card" onSubmit={submit} noValidate aria-labelledby="reg-title" data-testid="register-form">
        <h1 id="reg-title">{t("platform.register.title")}</h1>
        <p class="subtitle">{t("platform.register.subtitle")}</p>
        {done ? (
          <>
            <Notice kind="info" text={t("platform.register.done")} testId="register-done" />
            <p>
              <a href="/login" onClick={linkClick}>
                {t("platform.register.toLogin")}
              </a>
            </p>
          </>
        ) : (
          <>
            <Field id="reg-kind" label={t("platform.register.kind")}>
              <select id="reg-kind" value={kind} onChange={(e) => (setKind(e.currentTarget.value as RegistrationKind), setForm({ ...form, parentId: "" }))}>
                {kinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`platform.register.kind.${k}` as MessageKey)}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="reg-parentId" label={t(`platform.register.parent.${kind}` as MessageKey)} error={errors.parentId}>
              <select {...inputProps("reg-parentId", errors.parentId)} value={value("parentId")} onChange={set("parentId")}>
                <option value="">{t("common.choose")}</option>
                {parents.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </select>
            </Field>
            {kind !== "teacher" && text("organisationName", t("platform.register.orgName"))}
            {kind === "school" && (
              <label class="check">
                <input type="checkbox" checked={isRural} onChange={(e) => setIsRural(e.currentTarget.checked)} /> {t("platform.register.isRural")}
              </label>
            )}
            {text("displayName", t("platform.register.displayName"), { autocomplete: "name" })}
            {text("phone", t("platform.register.phone"), { autocomplete: "tel", inputmode: "tel" })}
            {kind === "teacher" && (
              <>
                {text("staffNumber", t("platform.register.staffNumber"))}
                {text("subject", t("platform.register.subject"))}
                <Field id="reg-stage" label={t("platform.register.stage")} error={errors.stage}>
                  <select {...inputProps("reg-stage", errors.stage)} value={value("stage")} onChange={set("stage")}>
                    {stages.map((s) => (
                      <option key={s} value={s}>
                        {t(`platform.stage.${s}` as MessageKey)}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field id="reg-role" label={t("platform.register.role")} error={errors.role}>
                  <select {...inputProps("reg-role", errors.role)} value={value("role")} onChange={set("role")}>
                    <option value="">{t("common.choose")}</option>
                    <option value="lead_teacher">{t("role.lead_teacher")}</option>
                    <option value="assistant_teacher">{t("role.assistant_teacher")}</option>
                  </select>
                </Field>
              </>
            )}
            {text("username", t("platform.register.username"), { autocomplete: "username" })}
            {text("password", t("platform.register.password"), { type: "password", autocomplete: "new-password" })}
            <Notice text={failure} testId="register-error" />
            <button type="submit" class="primary wide" disabled={busy}>
              {busy ? t("platform.register.submitting") : t("platform.register.submit")}
            </button>
            <p class="hint">
              <a href="/login" onClick={linkClick}>
                {t("platform.register.toLogin")}
              </a>
            </p>
          </>
        )}
      </form>
    </main>
  );
}
