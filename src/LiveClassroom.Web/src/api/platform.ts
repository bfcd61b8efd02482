/** Registration and teacher import (docs/API-PLATFORM.md). */
export type RegistrationKind = "teacher" | "school" | "county" | "city";

export interface Registration {
  id: string;
  kind: RegistrationKind;
  status: "pending" | "approved" | "rejected";
  parentId: string;
  parentName: string;
  organisationName?: string | null;
  isRural: boolean;
  role?: string | null;
  applicantId: string;
  applicantUsername: string;
  applicantName: string;
  phone?: string | null;
  staffNumber?: string | null;
  subject?: string | null;
  stage?: string | null;
  reason?: string | null;
  createdAt: string;
  decidedAt?: string | null;
  decidedByName?: string | null;
  createdOrganisationId?: string | null;
}

export interface PublicOrganisation {
  id: string;
  parentId?: string | null;
  kind: "province" | "city" | "county" | "school";
  name: string;
  isRural: boolean;
}

export interface ImportProblem {
  line: number;
  field: string;
  code: string;
}

export interface TeacherCsvRow {
  line: number;
  displayName: string;
  username: string;
  phone?: string | null;
  staffNumber?: string | null;
  subject: string;
  stage: string;
  role: string;
}

export interface ImportPreview {
  valid: boolean;
  rowCount: number;
  rows: TeacherCsvRow[];
  problems: ImportProblem[];
}

export interface ImportedTeacher {
  line: number;
  id: string;
  username: string;
  displayName: string;
  role: string;
  oneTimePassword: string;
}

/** The organisation kind a registration of each kind is filed under. */
export const parentKind: Record<RegistrationKind, PublicOrganisation["kind"]> = {
  teacher: "school",
  school: "county",
  county: "city",
  city: "province",
};

export interface ClassOrderSlot {
  day: number;
  start: string;
  durationMinutes: number;
}

export interface ClassOrder {
  id: string;
  status: "open" | "accepted" | "confirmed" | "cancelled";
  schoolId: string;
  schoolName: string;
  countyId: string;
  ruralClassroomId: string;
  ruralClassroomName: string;
  subject: string;
  grade: string;
  textbookEdition: string;
  termName: string;
  termStart: string;
  termEnd: string;
  slots: ClassOrderSlot[];
  weeklyPeriods: number;
  note?: string | null;
  createdAt: string;
  leadSchoolId?: string | null;
  leadSchoolName?: string | null;
  leadClassroomId?: string | null;
  leadClassroomName?: string | null;
  leadTeacherId?: string | null;
  leadTeacherName?: string | null;
  pairingId?: string | null;
}

export interface ClassOrderGapRow {
  subject: string;
  grade: string;
  open: number;
  accepted: number;
  confirmed: number;
  unmet: number;
}
