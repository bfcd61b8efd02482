import { t, type MessageKey } from "../../i18n";
import type { RegistrationKind } from "../../api/platform";

export const kinds: RegistrationKind[] = ["teacher", "school", "county", "city"];
export const stages = ["preschool", "primary", "junior", "senior"] as const;

export function stageLabel(stage: string | null | undefined): string {
  return stage && (stages as readonly string[]).includes(stage) ? t(`platform.stage.${stage}` as MessageKey) : (stage ?? "");
}

export function kindLabel(kind: RegistrationKind): string {
  return t(`platform.queue.kind.${kind}` as MessageKey);
}

const problemCodes = [
  "required", "too_long", "invalid", "invalid_format", "taken", "duplicate_in_file", "phone_or_staff_number_required",
  "unknown_column", "duplicate_column", "missing_column", "too_many_fields", "not_utf8", "unterminated_quote", "empty",
  "no_rows", "too_many_rows",
];

/** A CSV problem code in the UI's language; an unknown code is shown as sent. */
export function problemLabel(code: string): string {
  return problemCodes.includes(code) ? t(`platform.problem.${code}` as MessageKey) : code;
}

const fieldKeys: Record<string, MessageKey> = {
  displayName: "platform.register.displayName",
  phone: "platform.register.phone",
  staffNumber: "platform.register.staffNumber",
  subject: "platform.register.subject",
  stage: "platform.register.stage",
  role: "platform.register.role",
  username: "platform.register.username",
};

/** A CSV column's name in the UI's language; file-level and unknown columns are shown as sent. */
export function fieldLabel(field: string): string {
  return fieldKeys[field] ? t(fieldKeys[field]) : field;
}
