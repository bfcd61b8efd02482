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

export interface Lesson {
  id: string;
  pairingId: string;
  title?: string;
  subject?: string;
  startsAt: string;
  endsAt: string;
  status?: string;
  liveStatus?: string;
  pairingName?: string;
  durationMinutes?: number;
  /** Set while the lesson is live (or was opened): the id to join on the hub. */
  classId?: string | null;
  live?: boolean;
  leadClassroomName?: string;
  leadTeacherName?: string;
}

export interface Ref {
  id: string;
  name: string;
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

export interface LiveRoom {
  classId: string;
  pairingId?: string;
  title?: string;
  leadClassroomName?: string;
  leadTeacherName?: string;
  startedAt?: string;
  node?: string;
  classrooms?: {
    classroomId: string;
    name: string;
    present?: boolean;
    connectionState?: string;
    rttMs?: number;
    lossFraction?: number;
    inboundBitrateBps?: number;
  }[];
}
