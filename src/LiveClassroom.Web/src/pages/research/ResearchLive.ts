import { t } from "../../i18n";
import { ResearchConnection } from "../../hub/ResearchConnection";
import { HubError, toHubError } from "../../hub/errors";
import type { SlotSpec } from "../../media/MediaSession";
import { LiveRoom, useLiveRoom } from "../../live/LiveRoom";
import type { LiveSnapshot } from "../../api/research";
import { segmentKindLabel } from "./util";

export const maxTiles = 12;

/** The receive slots of HUB-RESEARCH.md: host and speaker (video + audio) and the participants' tiles. */
export const researchSlots: SlotSpec[] = [
  { name: "host", kind: "video" },
  { name: "host-audio", kind: "audio" },
  { name: "speaker", kind: "video" },
  { name: "speaker-audio", kind: "audio" },
  ...Array.from({ length: maxTiles }, (_, i) => ({ name: `tile${i + 1}`, kind: "video" as const })),
];

/**
 * A person in a live research session: the hub connection and the media session. Hosts and participants
 * publish camera + microphone from the first join (the SFU decides who is forwarded and heard); observers
 * publish nothing. Turn and segment changes become short sentences for the aria-live log.
 */
export class ResearchLive extends LiveRoom<ResearchConnection> {
  constructor(sessionId: string, token: () => string | null) {
    super(new ResearchConnection(sessionId, token), researchSlots, token);
    this.hub.onJoined = (first) => void this.connectMedia(!first);
    this.hub.onSnapshot = (before, after) => {
      // Media refused before the start (should the server want a live session) is tried again once it is live.
      if (before && before.status !== "live" && after.status === "live" && this.mediaError) void this.connectMedia(false);
      this.addAnnouncement(announce(before, after));
    };
  }

  get snapshot(): LiveSnapshot | null {
    return this.hub.snapshot;
  }

  get publishes(): boolean {
    return this.hub.myRole === "host" || this.hub.myRole === "participant";
  }

  private async connectMedia(iceRestart: boolean): Promise<void> {
    // An ended session has nobody left to see or hear: no camera, no peer connection.
    if (this.hub.snapshot?.status === "ended") return;
    await this.negotiateMedia(iceRestart);
  }
}

/** The sentence a change deserves in the aria-live log (turns and segments), or null. */
function announce(before: LiveSnapshot | null, after: LiveSnapshot): string | null {
  if (!before) return null;
  if (before.status !== "live" && after.status === "live") return t("research.event.started");
  if (before.status !== "ended" && after.status === "ended") return t("research.event.ended");
  const b = before.currentSegment;
  const a = after.currentSegment;
  if (a && (!b || a.index !== b.index)) return t("research.event.segment", { title: a.title || segmentKindLabel(a.kind), n: a.index + 1, count: after.segmentCount });
  if (after.speaker && after.speaker.personId !== before.speaker?.personId) return t("research.event.speaking", { name: after.speaker.displayName });
  if (!after.speaker && before.speaker) return t("research.event.turnEnded", { name: before.speaker.displayName });
  return null;
}

/** Creates, starts and disposes a ResearchLive for the component's lifetime (window.lcResearch); re-renders on every change. */
export function useResearchLive(sessionId: string, token: () => string | null): { live: ResearchLive | null; fatal: HubError | null } {
  return useLiveRoom(() => new ResearchLive(sessionId, token), [sessionId], toHubError, "lcResearch");
}
