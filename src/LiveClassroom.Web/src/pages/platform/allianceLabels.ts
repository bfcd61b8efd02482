import { t, type MessageKey } from "../../i18n";

export function allianceRoleLabel(role: string | null | undefined): string {
  return role ? t(`alliance.role.${role}` as MessageKey) : "";
}

export function allianceStatusLabel(status: string): string {
  return t(`alliance.status.${status}` as MessageKey);
}

export function levelLabel(kind: string): string {
  return t(`alliance.level.${kind}` as MessageKey);
}
