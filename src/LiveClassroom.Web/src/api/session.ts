import { ApiClient } from "./client";
import type { LoginResponse, Person } from "./types";

const tokenKey = "lc.token";
const personKey = "lc.person";
const deviceTokenKey = "lc.deviceToken";
const restrictionKey = "lc.restriction";

/** What a restricted token may reach (the server enforces it): its registration status, or the password change. */
export type Restriction = "registration" | "password" | null;
const listeners = new Set<() => void>();

function readPerson(): Person | null {
  try {
    return JSON.parse(localStorage.getItem(personKey) ?? "null") as Person | null;
  } catch {
    return null;
  }
}

export const session = {
  token: (): string | null => localStorage.getItem(tokenKey),
  person: readPerson,
  restriction: (): Restriction => (localStorage.getItem(restrictionKey) as Restriction) ?? null,
  signIn(res: LoginResponse): void {
    const restriction: Restriction =
      res.accountStatus && res.accountStatus !== "active" ? "registration" : res.mustChangePassword ? "password" : null;
    if (restriction) localStorage.setItem(restrictionKey, restriction);
    else localStorage.removeItem(restrictionKey);
    localStorage.setItem(tokenKey, res.token);
    localStorage.setItem(personKey, JSON.stringify(res.person));
    listeners.forEach((l) => l());
  },
  signOut(): void {
    localStorage.removeItem(tokenKey);
    localStorage.removeItem(personKey);
    localStorage.removeItem(restrictionKey);
    listeners.forEach((l) => l());
  },
  onChange(l: () => void): () => void {
    listeners.add(l);
    return () => listeners.delete(l);
  },
  deviceToken: (): string | null => localStorage.getItem(deviceTokenKey),
  setDeviceToken(token: string | null): void {
    if (token) localStorage.setItem(deviceTokenKey, token);
    else localStorage.removeItem(deviceTokenKey);
  },
};

/** Roles that make a person an administrator of some organisation. */
export const adminRoles = ["school_admin", "county_admin", "city_admin", "province_admin"];

export function hasRole(person: Person | null, ...roles: string[]): boolean {
  return !!person?.roles?.some((r) => roles.includes(r.role));
}

/** Calls made as the signed-in person; an expired token sends them back to the login page. */
export const api = new ApiClient(session.token, () => session.signOut());

/** Calls made as this browser's classroom device (the projector PC). */
export const deviceApi = new ApiClient(session.deviceToken);
