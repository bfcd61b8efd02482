import { useEffect, useState } from "preact/hooks";
import { onLangChange } from "./i18n";
import { session } from "./api/session";
import { navigate, usePath } from "./router";
import { LoginPage } from "./pages/LoginPage";
import { TimetablePage } from "./pages/TimetablePage";
import { ConsolePage } from "./pages/console/ConsolePage";
import { ProjectorPage } from "./pages/projector/ProjectorPage";
import { AdminPage } from "./pages/admin/AdminPage";
import { ListPage as ResearchListPage } from "./pages/research/ListPage";
import { RoomPage as ResearchRoomPage } from "./pages/research/RoomPage";
import { ReportPage } from "./pages/research/docs/ReportPage";
import { WatchPage } from "./pages/research/docs/WatchPage";
import { ComparePage } from "./pages/research/docs/ComparePage";
import { LessonPlanPage } from "./pages/research/docs/LessonPlanPage";
import { LibraryPage } from "./pages/library/LibraryPage";
import { MinePage } from "./pages/library/MinePage";
import { PlayerPage } from "./pages/library/PlayerPage";
import { ReviewPage, ReviewQueuePage } from "./pages/library/ReviewPages";
import { RegisterPage } from "./pages/platform/RegisterPage";
import { RegistrationStatusPage } from "./pages/platform/RegistrationStatusPage";
import { PasswordPage } from "./pages/platform/PasswordPage";
import { CeHoursPage } from "./pages/platform/CeHoursPage";
import { AlliancesPage } from "./pages/platform/AlliancesPage";
import { AllianceApplyPage } from "./pages/platform/AllianceApplyPage";
import { AlliancePage } from "./pages/platform/AlliancePage";

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
    if (path === "/register") return <RegisterPage />;
    if (path !== "/login") queueMicrotask(() => navigate("/login", true));
    return <LoginPage />;
  }
  // A restricted token reaches one page (the server refuses it everything else: docs/API-PLATFORM.md).
  const restriction = session.restriction();
  if (restriction) {
    const only = restriction === "registration" ? "/registration/status" : "/password";
    if (path !== only) queueMicrotask(() => navigate(only, true));
    return restriction === "registration" ? <RegistrationStatusPage /> : <PasswordPage />;
  }
  if (path === "/login" || path === "/" || path === "/register" || path === "/registration/status") {
    queueMicrotask(() => navigate("/timetable", true));
    return null;
  }
  if (path === "/password") return <PasswordPage />;
  if (path === "/ce") return <CeHoursPage />;
  if (path === "/alliances" || path === "/alliances/") return <AlliancesPage />;
  if (path === "/alliances/new") return <AllianceApplyPage />;
  const alliance = path.match(/^\/alliances\/([^/]+)$/);
  if (alliance) return <AlliancePage key={alliance[1]} id={decodeURIComponent(alliance[1])} />;
  const console = path.match(/^\/console\/([^/]+)$/);
  if (console) return <ConsolePage classId={decodeURIComponent(console[1])} />;
  if (path.startsWith("/admin")) return <AdminPage path={path} />;
  const research = researchRoute(path) ?? libraryRoute(path);
  if (research) return research;
  return <TimetablePage />;
}

/** The teaching-research routes of docs/HUB-RESEARCH.md ("Web pages"); null for any other path. */
function researchRoute(path: string) {
  const d = decodeURIComponent;
  if (path === "/research" || path === "/research/") return <ResearchListPage />;
  let m = path.match(/^\/research\/([^/]+)\/lessons\/([^/]+)\/report$/);
  if (m) return <ReportPage sessionId={d(m[1])} lessonId={d(m[2])} />;
  m = path.match(/^\/research\/([^/]+)\/lessons\/([^/]+)\/watch$/);
  if (m) return <WatchPage sessionId={d(m[1])} lessonId={d(m[2])} />;
  m = path.match(/^\/research\/([^/]+)\/compare$/);
  if (m) return <ComparePage sessionId={d(m[1])} />;
  m = path.match(/^\/research\/([^/]+)$/);
  if (m) return <ResearchRoomPage key={m[1]} sessionId={d(m[1])} />;
  m = path.match(/^\/lesson-plans\/([^/]+)$/);
  if (m) return <LessonPlanPage planId={d(m[1])} />;
  return null;
}

/** The resource library's routes: 资源库, 排行, 我的录课, 审核 and the player; null for any other path. */
function libraryRoute(path: string) {
  if (path === "/library" || path === "/library/") return <LibraryPage />;
  if (path === "/library/ranking") return <LibraryPage ranking />;
  if (path === "/library/mine") return <MinePage />;
  if (path === "/review" || path === "/review/") return <ReviewQueuePage />;
  let m = path.match(/^\/review\/([^/]+)$/);
  if (m) return <ReviewPage key={m[1]} id={decodeURIComponent(m[1])} />;
  m = path.match(/^\/library\/([^/]+)$/);
  if (m) return <PlayerPage key={m[1]} id={decodeURIComponent(m[1])} />;
  return null;
}
