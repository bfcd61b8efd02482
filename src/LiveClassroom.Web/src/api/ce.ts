/** 继续教育学时 (docs/API-PLATFORM.md, "Continuing-education hours"). */
export const ceKinds = ["live_taught", "live_assisted", "research", "lesson_plan", "observation", "library", "school_training"] as const;
export type CeKind = (typeof ceKinds)[number];

export interface CeRequirement {
  organisationId: string;
  year: number;
  totalHours: number;
  requiredHours: number;
  electiveHours: number;
  sourceOrganisationId?: string | null;
  sourceOrganisationName?: string | null;
}

export interface CeCredit {
  id: string;
  personId: string;
  year: number;
  kind: CeKind;
  evidenceId: string;
  evidenceDate: string;
  minutes: number;
  hours: number;
  note?: string | null;
  createdByName?: string | null;
}

export interface CeCourse {
  id: string;
  organisationId: string;
  organisationName: string;
  year: number;
  kind: "required" | "elective";
  title: string;
  topic?: string | null;
  stage?: string | null;
  subject?: string | null;
  hours: number;
  enrolled: boolean;
}

export interface CeSummary {
  personId: string;
  name: string;
  schoolId: string;
  schoolName: string;
  year: number;
  requirement: CeRequirement;
  earnedMinutes: number;
  earnedHours: number;
  expectedHours: number;
  behind: boolean;
  byKind: { kind: CeKind; minutes: number; hours: number }[];
  credits: CeCredit[];
  courses: CeCourse[];
  registrationOpen: boolean;
  registrationClosesAt: string;
}

export interface CeReportRow {
  personId: string;
  name: string;
  schoolId: string;
  schoolName: string;
  totalHours: number;
  earnedHours: number;
  expectedHours: number;
  behind: boolean;
  hoursByKind: Record<CeKind, number>;
}

export interface CeReport {
  organisationId: string;
  organisationName: string;
  year: number;
  teachers: number;
  behind: number;
  rows: CeReportRow[];
}

/** The school year (+08:00) of the current moment, as the server counts it. */
export function schoolYear(now = new Date()): number {
  return new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
}

/** Today's school date (+08:00) as yyyy-MM-dd. */
export function schoolToday(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
