import { useState } from "preact/hooks";
import { t } from "../i18n";
import { api, session } from "../api/session";
import { ApiError, errorText } from "../api/client";
import type { LoginResponse } from "../api/types";
import { Field, inputProps } from "../components/Field";
import { LangSwitch } from "../components/LangSwitch";
import { Notice } from "../components/Notice";
import { fieldErrors, required } from "../components/validation";
import { linkClick, navigate } from "../router";

export function LoginPage() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: Event) {
    e.preventDefault();
    const local = { username: required(username), password: required(password) };
    setErrors(local);
    setFailure(null);
    if (local.username || local.password) {
      document.getElementById(local.username ? "login-username" : "login-password")?.focus();
      return;
    }
    setBusy(true);
    try {
      const res = await api.post<LoginResponse>("/api/auth/login", { username: username.trim(), password });
      session.signIn(res);
      const restriction = session.restriction();
      navigate(restriction === "registration" ? "/registration/status" : restriction === "password" ? "/password" : "/timetable", true);
    } catch (err) {
      setErrors(fieldErrors(err));
      if (err instanceof ApiError && err.code === "too_many_attempts" && !err.body.messageZh && !err.body.message) {
        setFailure(t("login.tooMany", { seconds: err.body.retryAfterSeconds ?? 60 }));
      } else {
        setFailure(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="login-page">
      <div class="login-lang">
        <LangSwitch />
      </div>
      <form class="card login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <h1 id="login-title">{t("app.title")}</h1>
        <p class="subtitle">{t("login.subtitle")}</p>
        <Field id="login-username" label={t("login.username")} error={errors.username}>
          <input {...inputProps("login-username", errors.username)} name="username" autocomplete="username"
            value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </Field>
        <Field id="login-password" label={t("login.password")} error={errors.password}>
          <input {...inputProps("login-password", errors.password)} name="password" type="password"
            autocomplete="current-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </Field>
        <Notice text={failure} testId="login-error" />
        <button type="submit" class="primary wide" disabled={busy}>
          {busy ? t("login.signingIn") : t("login.submit")}
        </button>
        <p class="hint">
          <a href="/register" onClick={linkClick} data-testid="register-link">
            {t("platform.register.link")}
          </a>
        </p>
        <p class="hint">
          <a href="/projector">{t("login.projectorLink")}</a>
        </p>
      </form>
    </main>
  );
}
