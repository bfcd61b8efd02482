import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import type { ApiClient } from "../../api/client";

interface RoomRecording {
  recording: boolean;
  paused: boolean;
}

// The recorder starts a moment after the class opens and the lead may pause it from elsewhere: poll, gently.
const PollMs = 5000;

/**
 * "● 录制中" while the class is being recorded (the server's recorder for this room), "录制已暂停" while paused.
 * The console asks as the teacher; the projector passes its device client (the server answers the class's devices too).
 */
export function RecordingBadge({ classId, live, client = api }: { classId: string; live: boolean; client?: ApiClient }) {
  const [status, setStatus] = useState<RoomRecording | null>(null);

  useEffect(() => {
    if (!live) {
      setStatus(null);
      return;
    }
    let stopped = false;
    const read = async () => {
      try {
        const s = await client.get<RoomRecording>(`/api/rooms/${encodeURIComponent(classId)}/recording`);
        if (!stopped) setStatus(s);
      } catch {
        // The badge is informative only; a failed read keeps the last known state.
      }
    };
    void read();
    const timer = window.setInterval(read, PollMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [classId, live, client]);

  if (!status || (!status.recording && !status.paused)) return null;
  return (
    <span class={`badge ${status.paused ? "recording-paused" : "recording"}`} role="status" data-testid="recording-badge">
      {t(status.paused ? "recording.paused" : "recording.on")}
    </span>
  );
}
