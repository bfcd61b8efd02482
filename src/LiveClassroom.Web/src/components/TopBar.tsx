import type { ComponentChildren } from "preact";
import { t } from "../i18n";
import { hasRole, adminRoles, session } from "../api/session";
import { linkClick, navigate } from "../router";
import { LangSwitch } from "./LangSwitch";
import { ReviewNavLink } from "../pages/library/ReviewNavLink";

/** The header of every signed-in page: where am I, who am I, language, sign out. */
export function TopBar({ children }: { children?: ComponentChildren }) {
  const person = session.person();
  return (
    <header class="topbar">
      <a class="brand" href="/timetable" onClick={linkClick}>
        {t("app.title")}
      </a>
      <nav aria-label={t("nav.label")}>
        <a href="/timetable" onClick={linkClick}>
          {t("nav.timetable")}
        </a>
        <a href="/research" onClick={linkClick} data-testid="nav-research">
          {t("research.nav")}
        </a>
        <a href="/library" onClick={linkClick} data-testid="nav-library">
          {t("library.nav.library")}
        </a>
        <a href="/library/mine" onClick={linkClick} data-testid="nav-mine">
          {t("library.nav.mine")}
        </a>
        <a href="/alliances" onClick={linkClick} data-testid="nav-alliances">
          {t("nav.alliances")}
        </a>
        {hasRole(person, "lead_teacher", "assistant_teacher") && (
          <a href="/ce" onClick={linkClick} data-testid="nav-ce">
            {t("nav.ce")}
          </a>
        )}
        {hasRole(person, ...adminRoles) && <ReviewNavLink />}
        {hasRole(person, ...adminRoles) && (
          <a href="/admin/organisations" onClick={linkClick}>
            {t("nav.admin")}
          </a>
        )}
      </nav>
      <div class="topbar-end">
        {children}
        {person && (
          <span class="who" data-testid="who">
            {person.displayName}
          </span>
        )}
        <a href="/password" onClick={linkClick} class="small">
          {t("platform.password.nav")}
        </a>
        <LangSwitch />
        <button
          type="button"
          class="secondary"
          onClick={() => {
            session.signOut();
            navigate("/login", true);
          }}
        >
          {t("nav.logout")}
        </button>
      </div>
    </header>
  );
}
