import { t, type MessageKey } from "../i18n";
import { ApiError } from "../api/client";

const known: Record<string, MessageKey> = {
  required: "validation.required",
  too_long: "validation.tooLong",
  too_short: "validation.tooShort",
  invalid: "validation.invalid",
  invalid_format: "validation.invalid",
  taken: "validation.taken",
  duplicate: "validation.taken",
  already_exists: "validation.taken",
  not_found: "validation.notFound",
  not_member_school: "validation.notMemberSchool",
  not_member_teacher: "validation.notMemberTeacher",
  not_rural: "validation.notRural",
};

/** A server field code (fields: {name: code}) in the UI's language; unknown codes fall back to the generic text. */
export function fieldMessage(code: string): string {
  return t(known[code] ?? "validation.invalid");
}

/** Field errors from a 400 response, localised; empty when the error was not a validation error. */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError) || !e.body.fields) return {};
  const out: Record<string, string> = {};
  for (const [k, code] of Object.entries(e.body.fields)) out[k.charAt(0).toLowerCase() + k.slice(1)] = fieldMessage(code);
  return out;
}

export function required(value: string): string | null {
  return value.trim() ? null : t("validation.required");
}
