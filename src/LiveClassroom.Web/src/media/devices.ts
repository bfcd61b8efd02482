import type { MessageKey } from "../i18n";

export type MediaKind = "camera" | "microphone";

export interface LocalMedia {
  camera: MediaStreamTrack | null;
  microphone: MediaStreamTrack | null;
  cameraError: MessageKey | null;
  microphoneError: MessageKey | null;
}

/** Explains a getUserMedia failure in words that say what to do about it. */
export function explain(kind: MediaKind, e: unknown): MessageKey {
  const name = (e as { name?: string })?.name ?? "";
  const cam = kind === "camera";
  if (name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError")
    return cam ? "media.cameraDenied" : "media.micDenied";
  if (name === "NotReadableError" || name === "TrackStartError" || name === "AbortError")
    return cam ? "media.cameraBusy" : "media.micBusy";
  if (name === "InsecureContext") return "media.insecure";
  return cam ? "media.cameraMissing" : "media.micMissing";
}

async function one(kind: MediaKind, deviceId?: string): Promise<MediaStreamTrack> {
  if (!navigator.mediaDevices?.getUserMedia) throw Object.assign(new Error("insecure"), { name: "InsecureContext" });
  const constraint = deviceId ? { deviceId: { exact: deviceId } } : true;
  const stream = await navigator.mediaDevices.getUserMedia(
    kind === "camera"
      ? { video: constraint === true ? { width: { ideal: 1280 }, height: { ideal: 720 } } : { ...constraint, width: { ideal: 1280 } } }
      : { audio: constraint === true ? { echoCancellation: true, noiseSuppression: true } : constraint },
  );
  return kind === "camera" ? stream.getVideoTracks()[0] : stream.getAudioTracks()[0];
}

/**
 * Opens the camera and the microphone separately, so a missing or refused camera still leaves the
 * microphone (and the rest of the page) working.
 */
export async function openLocalMedia(cameraId?: string, micId?: string): Promise<LocalMedia> {
  const result: LocalMedia = { camera: null, microphone: null, cameraError: null, microphoneError: null };
  try {
    result.camera = await one("camera", cameraId);
  } catch (e) {
    result.cameraError = explain("camera", e);
  }
  try {
    result.microphone = await one("microphone", micId);
  } catch (e) {
    result.microphoneError = explain("microphone", e);
  }
  return result;
}

export async function openTrack(kind: MediaKind, deviceId?: string): Promise<MediaStreamTrack> {
  return one(kind, deviceId);
}

export async function listDevices(): Promise<{ cameras: MediaDeviceInfo[]; microphones: MediaDeviceInfo[] }> {
  if (!navigator.mediaDevices?.enumerateDevices) return { cameras: [], microphones: [] };
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === "videoinput" && d.deviceId),
    microphones: all.filter((d) => d.kind === "audioinput" && d.deviceId),
  };
}

/** Starts a screen capture (courseware); null when the user cancels the picker. */
export async function openScreen(): Promise<MediaStreamTrack | null> {
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: false });
    const track = stream.getVideoTracks()[0];
    // Courseware: keep text sharp rather than smooth.
    if ("contentHint" in track) track.contentHint = "detail";
    return track;
  } catch {
    return null;
  }
}
