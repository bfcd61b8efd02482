import type { ChatMessage, ClassSnapshot, Participant, RoomEvent, RoomEventBatch } from "./types";

function upsertParticipant(list: Participant[], p: Participant): Participant[] {
  const i = list.findIndex((x) => x.principalId === p.principalId);
  if (i < 0) return [...list, p];
  const copy = list.slice();
  copy[i] = { ...list[i], ...p };
  return copy;
}

function upsertChat(list: ChatMessage[], m: ChatMessage): ChatMessage[] {
  const i = list.findIndex((x) => x.messageId === m.messageId);
  if (i < 0) return [...list, m];
  const copy = list.slice();
  copy[i] = { ...list[i], ...m };
  return copy;
}

/**
 * Applies one sequenced RoomEvent, returning a new snapshot (the UI re-renders on identity change).
 * Events already in the snapshot come back unchanged; a gap returns null and the caller must Resync.
 */
export function applyEvent(s: ClassSnapshot, e: RoomEvent): ClassSnapshot | null {
  if (e.seq <= s.sequence) return s;
  if (e.seq !== s.sequence + 1) return null;
  const n: ClassSnapshot = { ...s, sequence: e.seq };
  const p = e.payload ?? {};
  switch (e.type) {
    case "ClassScheduled":
      return { ...(p as ClassSnapshot), sequence: e.seq };
    case "ClassOpened":
      n.state = p.state ?? "Live";
      n.openedAt = p.at ?? e.at;
      break;
    case "ClassEnded":
      n.state = p.state ?? "Ended";
      n.endedAt = p.at ?? e.at;
      break;
    case "ParticipantJoined":
    case "ConnectionChanged":
    case "MediaChanged":
      n.participants = upsertParticipant(s.participants, p as Participant);
      break;
    case "MediaNodeLost": {
      // Their peers were on a media node that died: as in the class's state, none of them has media until it
      // negotiates again (its MediaChanged), so pages mark what those peers fed at once instead of showing it frozen.
      const lost = new Set<string>(p.principalIds ?? []);
      n.participants = s.participants.map((x) => (lost.has(x.principalId) ? { ...x, peerId: null } : x));
      break;
    }
    case "StatsChanged":
      for (const st of p.stats ?? []) {
        n.participants = (n.participants ?? s.participants).map((x) => (x.principalId === st.principalId ? { ...x, stats: st } : x));
      }
      break;
    case "HandQueueChanged":
      n.handQueue = [...(p.queue ?? [])];
      break;
    case "StageChanged":
      n.stage = [...(p.stage ?? [])];
      // The seated classrooms' participants as they are now: a rural classroom's page is not sent other classrooms'
      // presence while they are off stage (docs/HUB.md), so its copy of them may be old.
      for (const x of (p.participants ?? []) as Participant[]) n.participants = upsertParticipant(n.participants ?? s.participants, x);
      break;
    case "MuteChanged":
      n.classrooms = s.classrooms.map((c) => (c.classroomId === p.classroomId ? { ...c, mutedByLead: !!p.muted } : c));
      break;
    case "ChatMessage":
    case "MessagePinned":
    case "MessageDismissed":
      n.chat = upsertChat(s.chat, p as ChatMessage);
      break;
    default:
      break; // unknown types are tolerated so a newer server does not break an older page
  }
  return n;
}

/** One event of a batch that changed the snapshot, with the snapshot before and after it (announcements compare them). */
export interface AppliedEvent {
  event: RoomEvent;
  before: ClassSnapshot;
  after: ClassSnapshot;
}

/**
 * Applies a RoomEvents batch (one state write's events, first..last, in order) as each event in turn: the resulting
 * snapshot and the events that changed it, or null on a gap before the batch (the caller must Resync). Events of the
 * range that are not in the batch were not sent to this page (docs/HUB.md: a rural classroom's page is not sent other
 * rural classrooms' media changes): the sequence steps over them. A batch already in the snapshot changes nothing.
 */
export function applyBatch(s: ClassSnapshot, b: RoomEventBatch): { snapshot: ClassSnapshot; applied: AppliedEvent[] } | null {
  if (b.last <= s.sequence) return { snapshot: s, applied: [] };
  if (b.first > s.sequence + 1) return null;
  let current = s;
  const applied: AppliedEvent[] = [];
  for (const e of b.events ?? []) {
    if (e.seq <= current.sequence) continue;
    if (e.seq > b.last) return null;
    const skipped = e.seq > current.sequence + 1 ? { ...current, sequence: e.seq - 1 } : current;
    const next = applyEvent(skipped, e);
    if (next === null) return null;
    applied.push({ event: e, before: current, after: next });
    current = next;
  }
  if (current.sequence < b.last) current = { ...current, sequence: b.last };
  return { snapshot: current, applied };
}
