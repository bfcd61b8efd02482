import { t } from "../i18n";
import type { ClassSnapshot, RoomEvent } from "../hub/types";
import { classroomName } from "./classrooms";

/**
 * The sentence a class event deserves in the aria-live log, or null. Compares the snapshot before and
 * after, because the server's payloads describe the new state, not the change.
 */
export function announce(e: RoomEvent, before: ClassSnapshot, after: ClassSnapshot, audience: "lead" | "classroom"): string | null {
  const name = (id: string | null | undefined) => classroomName(after, id);
  switch (e.type) {
    case "ClassOpened":
      return t("event.opened");
    case "ClassEnded":
      return t("event.ended");
    case "HandQueueChanged": {
      if (audience !== "lead") return null;
      const raised = after.handQueue.find((c) => !before.handQueue.includes(c));
      if (raised) return t("event.handRaised", { name: name(raised) });
      const lowered = before.handQueue.find((c) => !after.handQueue.includes(c));
      return lowered ? t("event.handLowered", { name: name(lowered) }) : null;
    }
    case "StageChanged": {
      const on = after.stage.find((s) => !before.stage.some((b) => b.classroomId === s.classroomId));
      if (on) return t("event.stageChanged", { name: name(on.classroomId) });
      const off = before.stage.find((s) => !after.stage.some((a) => a.classroomId === s.classroomId));
      return off ? t("event.stageOff", { name: name(off.classroomId) }) : null;
    }
    case "MuteChanged":
      return t(e.payload?.muted ? "event.muted" : "event.unmuted", { name: name(e.payload?.classroomId) });
    case "ParticipantJoined":
      return audience === "lead" && e.payload?.role === "Classroom" ? t("event.joined", { name: name(e.payload.classroomId) }) : null;
    case "ConnectionChanged": {
      if (audience !== "lead" || e.payload?.role !== "Classroom") return null;
      if (e.payload.connection === "Left") return t("event.left", { name: name(e.payload.classroomId) });
      if (e.payload.connection === "Reconnecting") return t("event.lost", { name: name(e.payload.classroomId) });
      return null;
    }
    default:
      return null;
  }
}
