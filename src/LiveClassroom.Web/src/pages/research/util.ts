import { useEffect, useState } from "preact/hooks";
import { errorText } from "../../api/client";
import { HubError } from "../../hub/errors";
import { t, type MessageKey } from "../../i18n";
import type { LiveRole, SegmentKind, SessionKind, Stage } from "../../api/research";
import type { ResearchConnection } from "../../hub/ResearchConnection";

/** Re-renders every `ms` while mounted: local countdowns between snapshots. */
export function useTick(ms = 1000): void {
  const [, bump] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => bump((n) => n + 1), ms);
    return () => clearInterval(timer);
  }, [ms]);
}

/** What to show for a failed API call or hub invocation, in the UI's language. */
export function failText(e: unknown): string {
  return e instanceof HubError ? e.localized : errorText(e);
}

export const kindLabel = (k: SessionKind | string) => t(`research.kind.${k}` as MessageKey) ?? k;
export const stageLabel = (s: Stage | string) => t(`research.stage.${s}` as MessageKey) ?? s;
export const segmentKindLabel = (k: SegmentKind | string) => t(`research.segmentKind.${k}` as MessageKey) ?? k;
export const roleLabel = (r: LiveRole | string) => t(`research.role.${r}` as MessageKey) ?? r;
export const statusLabel = (s: string) => t(`research.status.${s}` as MessageKey) ?? s;

/** The shared playback position now (seconds), following the server clock; null when nothing is shared. */
export function playbackPosition(hub: ResearchConnection): number | null {
  const p = hub.snapshot?.playback;
  if (!p) return null;
  const at = Date.parse(p.atServerTime);
  const elapsed = p.playing && !Number.isNaN(at) ? Math.max(0, (hub.serverNow() - at) / 1000) : 0;
  return p.positionSeconds + elapsed;
}
