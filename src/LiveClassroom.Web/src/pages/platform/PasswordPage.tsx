import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { api, session } from "../../api/session";
import { errorText } from "../../api/client";
import type { LoginResponse } from "../../api/types";
import { Field, inputProps } from "../../components/Field";
import { LangSwitch } from "../../components/LangSwitch";
import { Notice } from "../../components/Notice";
import { fieldErrors, required } from "../../components/validation";
import { navigate } from "../../router";

/** 修改密码; the only page a person with a one-time password reaches until they choose their own. */
export function PasswordPage() {
  const mustChange = session.restriction() === "password";
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const local = {
      currentPassword: required(current),
      newPassword: next.length >= 8 ? null : t("validation.password"),
      confirm: confirm === next ? null : t("platform.password.mismatch"),
    };
    setErrors(local);
    setFailure(null);
    const first = Object.entries(local).find(([, v]) => v);
    if (first) {
      document.getElementById(`pw-${first[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.post("/api/me/password", { currentPassword: current, newPassword: next });
      // The old token keeps its restriction: sign in again with the new password for a full one.
      const username = session.person()?.username ?? "";
      session.signIn(await api.post<LoginResponse>("/api/auth/login", { username, password: next }));
      navigate("/timetable", true);
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const input = (id: string, label: string, value: string, set: (v: string) => void, autocomplete: string) => (
    <Field id={`pw-${id}`} label={label} error={errors[id]}>
      <input {...inputProps(`pw-${id}`, errors[id])} type="password" autocomplete={autocomplete} value={value}
        onInput={(e) => set(e.currentTarget.value)} />
    </Field>
  );

  return (
    <main class="login-page">
      <div class="login-lang">
        <LangSwitch />
      </div>
      <form class="card login-card" onSubmit={submit} noValidate aria-labelledby="pw-title" data-testid="password-form">
        <h1 id="pw-title">{t("platform.password.title")}</h1>
        {mustChange && <Notice kind="info" text={t("platform.password.mustChange")} />}
        {input("currentPassword", t("platform.password.current"), current, setCurrent, "current-password")}
        {input("newPassword", t("platform.password.new"), next, setNext, "new-password")}
        {input("confirm", t("platform.password.confirm"), confirm, setConfirm, "new-password")}
        <Notice text={failure} testId="password-error" />
        <button type="submit" class="primary wide" disabled={busy}>
          {t("platform.password.submit")}
        </button>
        <p class="hint">
          <button type="button" class="secondary" onClick={() => (session.signOut(), navigate("/login", true))}>
            {t("nav.logout")}
          </button>
        </p>
      </form>
    </main>
  );
}
