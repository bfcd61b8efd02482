import { t, type MessageKey } from "../../i18n";
import { linkClick } from "../../router";
import { TopBar } from "../../components/TopBar";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { OrganisationsPage } from "./OrganisationsPage";
import { PeoplePage } from "./PeoplePage";
import { DevicesPage } from "./DevicesPage";
import { PairingsPage } from "./PairingsPage";
import { LiveRoomsPage } from "./LiveRoomsPage";
import { RegistrationsQueuePage } from "../platform/RegistrationsQueuePage";
import { TeacherImportPage } from "../platform/TeacherImportPage";
import { OrdersPage } from "../platform/OrdersPage";
import { WebhooksPage } from "./WebhooksPage";
import { CeAdminPage } from "../platform/CeAdminPage";
import { AllianceAdminPage } from "../platform/AllianceAdminPage";

const sections: { path: string; key: MessageKey }[] = [
  { path: "/admin/organisations", key: "admin.organisations" },
  { path: "/admin/people", key: "admin.people" },
  { path: "/admin/devices", key: "admin.devices" },
  { path: "/admin/pairings", key: "admin.pairings" },
  { path: "/admin/live", key: "admin.live" },
  { path: "/admin/registrations", key: "admin.registrations" },
  { path: "/admin/import", key: "admin.import" },
  { path: "/admin/orders", key: "admin.orders" },
  { path: "/admin/webhooks", key: "admin.webhooks" },
  { path: "/admin/ce", key: "admin.ce" },
  { path: "/admin/alliances", key: "admin.alliances" },
];

export function AdminPage({ path }: { path: string }) {
  const current = sections.find((s) => path.startsWith(s.path)) ?? sections[0];
  return (
    <>
      <TopBar />
      <div class="admin">
        <nav class="admin-nav" aria-label={t("admin.nav")}>
          <ul>
            {sections.map((s) => (
              <li key={s.path}>
                <a href={s.path} onClick={linkClick} aria-current={s === current ? "page" : undefined}>
                  {t(s.key)}
                </a>
              </li>
            ))}
            <li>
              <a href="/api-docs" onClick={openApiDocs}>
                {t("admin.apiDocs")}
              </a>
            </li>
          </ul>
        </nav>
        <main class="admin-main">
          <h1>{t(current.key)}</h1>
          {current.path === "/admin/organisations" && <OrganisationsPage />}
          {current.path === "/admin/people" && <PeoplePage />}
          {current.path === "/admin/devices" && <DevicesPage />}
          {current.path === "/admin/pairings" && <PairingsPage />}
          {current.path === "/admin/live" && <LiveRoomsPage />}
          {current.path === "/admin/registrations" && <RegistrationsQueuePage />}
          {current.path === "/admin/import" && <TeacherImportPage />}
          {current.path === "/admin/orders" && <OrdersPage />}
          {current.path === "/admin/webhooks" && <WebhooksPage />}
          {current.path === "/admin/ce" && <CeAdminPage />}
          {current.path === "/admin/alliances" && <AllianceAdminPage />}
        </main>
      </div>
    </>
  );
}

/**
 * The API reference is a server page: a page load cannot carry the token, so the server first puts it in an HttpOnly
 * cookie that only /api-docs and /openapi read (docs/OPERATIONS.md, "API reference").
 */
async function openApiDocs(e: MouseEvent) {
  e.preventDefault();
  try {
    await api.post("/api/docs/session");
    window.location.assign("/api-docs");
  } catch (err) {
    window.alert(errorText(err));
  }
}
