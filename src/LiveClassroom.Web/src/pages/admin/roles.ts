import { t, type MessageKey } from "../../i18n";

export const roleNames = ["lead_teacher", "assistant_teacher", "researcher", "school_admin", "county_admin", "city_admin", "province_admin"] as const;

const keys: Record<string, MessageKey> = {
  lead_teacher: "role.lead_teacher",
  assistant_teacher: "role.assistant_teacher",
  researcher: "role.researcher",
  school_admin: "role.school_admin",
  county_admin: "role.county_admin",
  city_admin: "role.city_admin",
  province_admin: "role.province_admin",
};

export function roleLabel(role: string): string {
  return keys[role] ? t(keys[role]) : role;
}
