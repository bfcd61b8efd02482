import { useEffect, useState } from "preact/hooks";
import { onLangChange } from "./i18n";
import { session } from "./api/session";
import { navigate, usePath } from "./router";
import { LoginPage } from "./pages/LoginPage";
import { TimetablePage } from "./pages/TimetablePage";
import { ConsolePage } from "./pages/console/ConsolePage";
import { ProjectorPage } from "./pages/projector/ProjectorPage";
import { AdminPage } from "./pages/admin/AdminPage";

export function App() {
  const path = usePath();
  // A language switch or sign-in/out re-renders the whole tree; nothing below is memoised.
  const [, bump] = useState(0);
  useEffect(() => {
    const rerender = () => bump((n) => n + 1);
    const a = onLangChange(rerender);
    const b = session.onChange(rerender);
    return () => {
      a();
      b();
    };
  }, []);

  // The projector authenticates as a device, never as a person.
  if (path === "/projector") return <ProjectorPage />;

  const signedIn = !!session.token();
  if (!signedIn) {
    if (path !== "/login") queueMicrotask(() => navigate("/login", true));
    return <LoginPage />;
  }
  if (path === "/login" || path === "/") {
    queueMicrotask(() => navigate("/timetable", true));
    return null;
  }
  const console = path.match(/^\/console\/([^/]+)$/);
  if (console) return <ConsolePage classId={decodeURIComponent(console[1])} />;
  if (path.startsWith("/admin")) return <AdminPage path={path} />;
  return <TimetablePage />;
}
