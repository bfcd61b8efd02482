// DTOs of the server's HTTP API (docs/API.md, docs/API-ROOMS.md). Optional fields are ones the
// server may omit; the UI shows "—" for them rather than failing.

export interface RoleGrant {
  role: string;
  organisationId: string;
  organisationName?: string;
}

export interface Person {
  id: string;
  username: string;
  displayName: string;
  organisationId: string;
  organisationName?: string;
  roles: RoleGrant[];
  isActive?: boolean;
}

export interface LoginResponse {
  token: string;
  expiresAt: string;
  person: Person;
  /** pending / rejected: the token reaches only the registration status page (docs/API-PLATFORM.md). */
  accountStatus?: "active" | "pending" | "rejected";
  /** A one-time password: the token reaches only the password page. */
  mustChangePassword?: boolean;
}

export interface Classroom {
  id: string;
  name: string;
  schoolId?: string;
}

export interface Organisation {
  id: string;
  parentId?: string | null;
  kind: "province" | "city" | "county" | "school";
  name: string;
  isRural?: boolean;
  classrooms?: Classroom[];
  children?: Organisation[];
}

export interface Device {
  id: string;
  name: string;
  classroomId: string;
  classroomName?: string;
  schoolId?: string;
  schoolName?: string;
  lastSeenAt?: string | null;
  revokedAt?: string | null;
  pairedAt?: string | null;
}

export interface PairingRequest {
  requestId: string;
  code: string;
  pollToken: string;
  expiresAt: string;
}

export interface PairingStatus {
  status: "pending" | "expired" | "collected" | "confirmed";
  deviceToken?: string;
  device?: Device;
}

/** A lesson of the signed-in person or device (normalised from MyLesson, see api/lessons.ts). */
export interface Lesson {
  id: string;
  pairingId: string;
  pairingName?: string;
  subject?: string;
  title?: string;
  startsAt: string;
  endsAt: string;
  durationMinutes?: number;
  /** Set once the lesson has been opened: the id to join on the hub. */
  classId: string | null;
  status?: "NotOpened" | "Scheduled" | "Live" | "Ended" | "Elsewhere" | string;
  /** The caller's role in the pairing: Lead or Classroom. */
  role?: string;
  ownerUrl?: string | null;
}

export interface Ref {
  id: string;
  name: string;
  /** On classroom refs: the classroom's school. */
  schoolName?: string | null;
}

/** PairingListing in GRAINS.md. */
export interface Pairing {
  pairingId: string;
  id?: string;
  name: string;
  leadClassroom: Ref;
  leadTeacher: Ref;
  ruralClassrooms: Ref[];
  subject: string;
  grade: string;
  textbookEdition: string;
  termName?: string | null;
  termStart?: string | null;
  termEnd?: string | null;
}

export interface WeeklySlot {
  /** DayOfWeek: 0 = Sunday … 6 = Saturday (or its English name). */
  day: number | string;
  start: string;
  durationMinutes: number;
  subject: string;
}

/** TermTimetable in GRAINS.md. */
export interface TermTimetable {
  termName: string;
  startDate: string;
  endDate: string;
  slots: WeeklySlot[];
  holidays: { from: string; to: string; reason: string }[];
  makeUpDays: { date: string; runsAs: number | string }[];
}

/** GET /api/rooms/live. */
export interface LiveRoom {
  classId: string;
  pairingId: string;
  pairingName: string;
  title?: string | null;
  openedAt?: string | null;
  classrooms: { classroomId: string; name: string; schoolName?: string | null; isLead: boolean; present: boolean; stageSeat: number | null; mutedByLead: boolean }[];
  participants: import("../hub/types").Participant[];
  ownerUrl?: string | null;
}
