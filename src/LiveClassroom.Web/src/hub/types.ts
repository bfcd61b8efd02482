// Shapes from docs/HUB.md (branch hub).

export type ClassState = "ready" | "live" | "ended";
export type HubRole = "lead" | "classroom" | "observer";
export type Connection = "connected" | "lost" | "left";

export interface ConnectionStats {
  rttMs?: number;
  packetLoss?: number;
  jitterMs?: number;
  availableOutgoingBitrate?: number;
  quality?: "good" | "fair" | "poor";
}

export interface Participant {
  participantId: string;
  displayName: string;
  role: HubRole;
  classroomId: string | null;
  kind: "person" | "device";
  connection: Connection;
  tile: { camera: boolean; microphone: boolean; screen: boolean } | null;
  stats: ConnectionStats | null;
}

export interface ChatMessage {
  messageId: string;
  fromParticipantId: string;
  fromName: string;
  text: string;
  isQuestion: boolean;
  at: string;
  pinned: boolean;
  dismissed: boolean;
}

export interface AttendanceRow {
  classroomId: string;
  name: string;
  joinedAt: string | null;
  present: boolean;
  /** Not in the first draft of HUB.md; shown when the server sends them. */
  minutesPresent?: number;
  reconnects?: number;
}

export interface Attendance {
  expected: number;
  present: number;
  classrooms: AttendanceRow[];
}

export interface ClassSnapshot {
  classId: string;
  pairingId: string;
  lessonId: string | null;
  title?: string;
  state: ClassState;
  you: { participantId: string; role: HubRole; classroomId: string | null };
  participants: Participant[];
  handQueue: string[];
  stage: string | null;
  muted: string[];
  chat: ChatMessage[];
  pinned: string[];
  attendance: Attendance | null;
  lastSeq: number;
}

export interface RoomEvent {
  classId: string;
  seq: number;
  type: string;
  at: string;
  payload: any;
}

/** A receive slot: a recvonly transceiver whose source the server chooses (HUB.md mediaDescription). */
export interface ReceiveSlot {
  mid: string;
  kind: "audio" | "video";
  /** Our name for the slot (main, screen, stage); sent along so the server can route by purpose. */
  name: string;
}

export interface MediaDescription {
  publish: { camera?: string; microphone?: string; screen?: string };
  receiveSlots: ReceiveSlot[];
}
