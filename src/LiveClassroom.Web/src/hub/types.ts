// Shapes from docs/HUB.md (branch hub): JSON camelCase, enums as PascalCase strings.

export type ClassState = "Scheduled" | "Live" | "Ended";
export type HubRole = "Lead" | "Classroom" | "Observer" | "Admin";
export type Connection = "Connected" | "Reconnecting" | "Left";

export interface ParticipantStats {
  principalId: string;
  roundTripTimeMs: number;
  packetLoss: number;
  inboundBitrateBps: number;
  outboundBitrateBps: number;
  quality: string;
  jitterMs?: number;
  frameWidth?: number;
  frameHeight?: number;
  framesPerSecond?: number;
}

export interface Participant {
  principalId: string;
  displayName: string;
  role: HubRole;
  kind: "Person" | "Device";
  classroomId: string | null;
  tile: number | null;
  connection: Connection;
  peerId: string | null;
  publishes: { cameraMid: string | null; microphoneMid: string | null; screenMid: string | null } | null;
  stats: ParticipantStats | null;
  /** Its classroom holds a stage seat. */
  onStage?: boolean;
}

export interface ClassroomAttendance {
  firstJoinedAt: string | null;
  lastLeftAt: string | null;
  minutesPresent: number;
  reconnectCount: number;
}

export interface ClassroomInfo {
  classroomId: string;
  name: string;
  /** The classroom's school; null for classes set up before schools were carried along. */
  schoolName?: string | null;
  isLead: boolean;
  tile: number;
  present: boolean;
  handPosition: number | null;
  stageSeat: number | null;
  mutedByLead: boolean;
  attendance: ClassroomAttendance | null;
}

export interface ChatMessage {
  messageId: string;
  fromPrincipalId: string;
  fromName: string;
  fromClassroomId: string | null;
  text: string;
  isQuestion: boolean;
  at: string;
  pinned: boolean;
  dismissed: boolean;
  /** Person or Device; absent in messages from before the server kept it. */
  fromKind?: "Person" | "Device" | null;
}

export interface StageSeat {
  seat: number;
  classroomId: string;
}

export interface ClassSnapshot {
  classId: string;
  state: ClassState;
  title: string;
  pairingId: string | null;
  lessonId: string | null;
  leadTeacherId: string;
  leadClassroomId: string;
  scheduledStart: string | null;
  openedAt: string | null;
  endedAt: string | null;
  maxOnStage: number;
  classrooms: ClassroomInfo[];
  participants: Participant[];
  handQueue: string[];
  stage: StageSeat[];
  chat: ChatMessage[];
  sequence: number;
}

export interface You {
  participantId: string;
  role: HubRole;
  classroomId: string | null;
  seesAttendance: boolean;
}

export interface ClassView {
  class: ClassSnapshot;
  you: You;
}

export interface RoomEvent {
  classId: string;
  seq: number;
  type: string;
  at: string;
  payload: any;
}

/** RoomEvents (docs/HUB.md): consecutive class events of one state write, first..last, in order, as one message. */
export interface RoomEventBatch {
  classId: string;
  first: number;
  last: number;
  events: RoomEvent[];
}

/** One participant's link as the SFU measures it (hub GetLinks, lead only). */
export interface LinkFigures {
  principalId: string;
  role: HubRole;
  classroomId: string | null;
  state: string;
  roundTripTimeMs: number;
  downBitrateBps: number;
  downLoss: number;
  upBitrateBps: number;
  upLoss: number;
  receivedLayer: string | null;
  incomingStreams: number;
}

/** What the client reports with ReportConnectionStats. */
export interface ConnectionStats {
  roundTripTimeMs: number;
  packetLoss: number;
  inboundBitrateBps: number;
  outboundBitrateBps: number;
  quality: "good" | "fair" | "poor";
  /** The received video with the largest picture (the main one): its jitter, decoded size and frame rate; 0 when none. */
  jitterMs: number;
  frameWidth: number;
  frameHeight: number;
  framesPerSecond: number;
}

/** A receive slot: a recvonly transceiver whose source the server chooses (main, main-audio, screen, stage1…). */
export interface ReceiveSlot {
  name: string;
  mid: string;
  kind: "audio" | "video";
}

export interface MediaDescription {
  publish: { camera?: string; microphone?: string; screen?: string };
  receiveSlots: ReceiveSlot[];
}
