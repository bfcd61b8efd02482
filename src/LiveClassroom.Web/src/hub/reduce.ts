import type { ChatMessage, ClassSnapshot, Participant, RoomEvent } from "./types";

/**
 * Applies one sequenced RoomEvent to the snapshot, returning a new snapshot (the UI re-renders on
 * identity change). Returns null when the event does not follow lastSeq: the caller must Resync.
 */
export function applyEvent(s: ClassSnapshot, e: RoomEvent): ClassSnapshot | null {
  if (e.seq <= s.lastSeq) return s; // already in the snapshot
  if (e.seq !== s.lastSeq + 1) return null;
  const n: ClassSnapshot = { ...s, lastSeq: e.seq };
  const p = e.payload ?? {};
  switch (e.type) {
    case "ParticipantJoined":
      n.participants = [...s.participants.filter((x) => x.participantId !== p.participantId), p as Participant];
      break;
    case "ParticipantLeft":
      n.participants = s.participants.map((x) => (x.participantId === p.participantId ? { ...x, connection: "left" } : x));
      break;
    case "ConnectionChanged":
      n.participants = s.participants.map((x) =>
        x.participantId === p.participantId ? { ...x, connection: p.connection, stats: p.stats ?? x.stats } : x,
      );
      break;
    case "HandRaised":
      if (!s.handQueue.includes(p.classroomId)) n.handQueue = [...s.handQueue, p.classroomId];
      break;
    case "HandLowered":
      n.handQueue = s.handQueue.filter((c) => c !== p.classroomId);
      break;
    case "HandQueueChanged":
      n.handQueue = [...(p.queue ?? [])];
      break;
    case "StageChanged":
      n.stage = p.classroomId ?? null;
      break;
    case "MuteChanged":
      n.muted = p.muted ? [...s.muted.filter((c) => c !== p.classroomId), p.classroomId] : s.muted.filter((c) => c !== p.classroomId);
      break;
    case "ChatMessage":
      n.chat = [...s.chat.filter((m) => m.messageId !== p.messageId), p as ChatMessage];
      break;
    case "MessagePinned":
      n.chat = s.chat.map((m) => (m.messageId === p.messageId ? { ...m, pinned: true } : m));
      n.pinned = [...s.pinned.filter((id) => id !== p.messageId), p.messageId];
      break;
    case "MessageDismissed":
      n.chat = s.chat.map((m) => (m.messageId === p.messageId ? { ...m, dismissed: true, pinned: false } : m));
      n.pinned = s.pinned.filter((id) => id !== p.messageId);
      break;
    case "ClassOpened":
      n.state = "live";
      break;
    case "ClassEnded":
      n.state = "ended";
      break;
    default:
      break; // unknown types are tolerated so a newer server does not break an older page
  }
  return n;
}

/** The human-readable event for the aria-live log, or null for events not worth announcing. */
export function describeEvent(e: RoomEvent): { key: string; classroomId?: string; participantId?: string } | null {
  const p = e.payload ?? {};
  switch (e.type) {
    case "HandRaised":
    case "HandLowered":
    case "MuteChanged":
    case "StageChanged":
      return { key: e.type, classroomId: p.classroomId ?? undefined };
    case "ParticipantJoined":
    case "ParticipantLeft":
      return { key: e.type, participantId: p.participantId };
    case "ClassOpened":
    case "ClassEnded":
      return { key: e.type };
    default:
      return null;
  }
}
