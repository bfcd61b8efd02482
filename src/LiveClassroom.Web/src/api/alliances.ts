/** 教研联盟 (docs/API-PLATFORM.md, "Teaching-research alliances"). */
import type { ClassOrderSlot } from "./platform";
export type AllianceRole = "chief" | "expert" | "core" | "member";
export type AllianceStatus = "applied" | "rejected" | "certified" | "assessed" | "dissolved";
export type AllianceDecision = "keep" | "up" | "down" | "exit";

export interface AllianceSummary {
  id: string;
  organisationId: string;
  organisationName: string;
  organisationKind: string;
  name: string;
  subject: string;
  stage: string;
  status: AllianceStatus;
  statusReason?: string | null;
  chiefId: string;
  chiefName: string;
  members: number;
  experts: number;
  core: number;
  myRole?: AllianceRole | null;
  canCertify: boolean;
  canAssess: boolean;
  canManage: boolean;
  appliedAt: string;
}

export interface AllianceFigures {
  year: number;
  members: number;
  schools: number;
  sessionsHeld: number;
  lessonsBroadcast: number;
  resourcesPublished: number;
  participatingMembers: number;
  attendances: number;
}

export const figureKeys = ["members", "schools", "sessionsHeld", "lessonsBroadcast", "resourcesPublished", "participatingMembers", "attendances"] as const;

export interface AllianceApplication {
  id: string;
  allianceId: string;
  personId: string;
  name: string;
  schoolName?: string | null;
  note?: string | null;
  status: "pending" | "accepted" | "rejected";
  reason?: string | null;
  createdAt: string;
}

export interface AllianceAssessment {
  id: string;
  year: number;
  score: number;
  comment: string;
  decision: AllianceDecision;
  fromOrganisationName: string;
  toOrganisationName?: string | null;
  figures: AllianceFigures;
  assessedByName: string;
  assessedAt: string;
}

export interface AllianceDetail {
  alliance: AllianceSummary;
  plan: string;
  members: { personId: string; name: string; schoolName?: string | null; role: AllianceRole }[];
  figures: AllianceFigures;
  sessions: { id: string; title: string; status: string; scheduledStart: string; lessons: { id: string; title: string }[] }[];
  resources: { id: string; title: string; teacherName?: string | null; publishedAt?: string | null }[];
  assessments: AllianceAssessment[];
  applications: AllianceApplication[];
  canJoin: boolean;
  canSchedule: boolean;
  pairings: AlliancePairing[];
  broadcasts: { classId: string; title: string; leadTeacherName: string; endedAt: string }[];
  canSchedulePairing: boolean;
  pairingOptions?: AlliancePairingOptions | null;
}

export interface AllianceClassroom {
  id: string;
  name: string;
  schoolId: string;
  schoolName: string;
  isRural: boolean;
}

/**
 * A 1+N pairing the alliance scheduled among member schools: confirmed (pairingId set), pending a county's confirmation
 * (canConfirm: the caller may confirm or reject it; canCancel: the caller may withdraw it), or ended while pending
 * (rejected with a reason, or cancelled), defining nothing.
 */
export interface AlliancePairing {
  id: string;
  status: "confirmed" | "pending" | "rejected" | "cancelled";
  pairingId?: string | null;
  subject: string;
  grade: string;
  textbookEdition: string;
  termName: string;
  termStart: string;
  termEnd: string;
  slots: ClassOrderSlot[];
  lead: AllianceClassroom;
  leadTeacherId: string;
  leadTeacherName: string;
  rural: AllianceClassroom[];
  crossCounty: boolean;
  canConfirm: boolean;
  createdAt: string;
  proposedById: string;
  proposedByName: string;
  reason?: string | null;
  decidedAt?: string | null;
  canCancel: boolean;
}

export interface AlliancePairingOptions {
  classrooms: AllianceClassroom[];
  teachers: { personId: string; name: string; schoolId: string; schoolName: string }[];
}

/** A person the picker's search found: only what choosing them needs (staffNumber only when the term matched it). */
export interface AllianceCandidate {
  personId: string;
  name: string;
  schoolName?: string | null;
  subject?: string | null;
  stage?: string | null;
  kind: "teacher" | "researcher";
  staffNumber?: string | null;
}

export interface AllianceLevel {
  id: string;
  name: string;
  kind: string;
}
