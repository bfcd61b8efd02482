import { session } from "../../../api/session";

/** There is no list endpoint for lesson plans: this browser remembers the plans each person opened. */
export interface RecentPlan {
  id: string;
  chapter: string;
  subject: string;
  openedAt: string;
}

const max = 12;
const key = () => `lc.recentPlans.${session.person()?.id ?? "anon"}`;

export function recentPlans(): RecentPlan[] {
  try {
    const list = JSON.parse(localStorage.getItem(key()) ?? "[]");
    return Array.isArray(list) ? (list as RecentPlan[]) : [];
  } catch {
    return [];
  }
}

export function rememberPlan(p: { id: string; chapter: string; subject: string }): void {
  const list = [{ id: p.id, chapter: p.chapter, subject: p.subject, openedAt: new Date().toISOString() }, ...recentPlans().filter((r) => r.id !== p.id)];
  try {
    localStorage.setItem(key(), JSON.stringify(list.slice(0, max)));
  } catch {
    /* storage full or disabled: the list is a convenience only */
  }
}
