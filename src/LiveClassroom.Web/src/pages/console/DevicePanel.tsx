import { useEffect, useState } from "preact/hooks";
import { t } from "../../i18n";
import type { MediaSession } from "../../media/MediaSession";
import { explain, listDevices, openScreen, openTrack, type LocalMedia } from "../../media/devices";
import { VideoView } from "../../components/MediaView";
import { Notice } from "../../components/Notice";

/** What the panel drives: a live class (LiveClass) or a research session (ResearchLive). */
export interface LocalPublisher {
  local: LocalMedia;
  readonly media: MediaSession;
  changed(): void;
}

/** The teacher's own camera preview, device choice (switched with replaceTrack) and, where offered, courseware sharing. */
export function DevicePanel({ live, screenShare = true }: { live: LocalPublisher; screenShare?: boolean }) {
  const [cameras, setCameras] = useState<MediaDeviceInfo[]>([]);
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [screen, setScreen] = useState<MediaStreamTrack | null>(null);
  const [error, setError] = useState<string | null>(null);
  const local = live.local;

  useEffect(() => {
    const refresh = () => void listDevices().then((d) => (setCameras(d.cameras), setMics(d.microphones))).catch(() => {});
    refresh();
    navigator.mediaDevices?.addEventListener?.("devicechange", refresh);
    return () => navigator.mediaDevices?.removeEventListener?.("devicechange", refresh);
  }, [local.camera?.id, local.microphone?.id]);

  async function choose(kind: "camera" | "microphone", deviceId: string) {
    setError(null);
    try {
      const track = await openTrack(kind, deviceId);
      const old = local[kind];
      if (kind === "camera") {
        await live.media.setCamera(track);
        live.local = { ...live.local, camera: track, cameraError: null };
      } else {
        await live.media.setMicrophone(track);
        live.local = { ...live.local, microphone: track, microphoneError: null };
      }
      old?.stop();
      live.changed();
    } catch (e) {
      setError(t(explain(kind, e)));
    }
  }

  async function toggleScreen() {
    setError(null);
    if (screen) {
      screen.stop();
      setScreen(null);
      await live.media.stopScreen().catch(() => setError(t("media.screenFailed")));
      return;
    }
    const track = await openScreen();
    if (!track) {
      setError(t("media.screenCancelled"));
      return;
    }
    // The browser's own "stop sharing" bar ends the track: follow it.
    track.addEventListener("ended", () => {
      setScreen(null);
      live.media.stopScreen().catch(() => setError(t("media.screenFailed")));
    });
    setScreen(track);
    await live.media.startScreen(track).catch(() => setError(t("media.screenFailed")));
  }

  const camId = local.camera?.getSettings().deviceId;
  const micId = local.microphone?.getSettings().deviceId;
  return (
    <section class="panel devices" aria-labelledby="devices-title">
      <h2 id="devices-title">{t("devices.title")}</h2>
      <div class="preview">
        {local.camera ? <VideoView track={local.camera} label={t("devices.preview")} mirror testId="local-preview" /> : <div class="no-video">{t("devices.noCamera")}</div>}
        {screen && <VideoView track={screen} label={t("devices.screenPreview")} class="screen-preview" />}
      </div>
      <Notice text={local.cameraError ? t(local.cameraError) : null} testId="camera-error" />
      <Notice text={local.microphoneError ? t(local.microphoneError) : null} testId="mic-error" />
      <label for="camera-select">{t("devices.camera")}</label>
      <select id="camera-select" value={camId} disabled={cameras.length === 0} onChange={(e) => void choose("camera", e.currentTarget.value)}>
        {cameras.length === 0 && <option value="">{t("devices.none")}</option>}
        {cameras.map((c, i) => (
          <option key={c.deviceId} value={c.deviceId}>
            {c.label || t("devices.cameraN", { n: i + 1 })}
          </option>
        ))}
      </select>
      <label for="mic-select">{t("devices.microphone")}</label>
      <select id="mic-select" value={micId} disabled={mics.length === 0} onChange={(e) => void choose("microphone", e.currentTarget.value)}>
        {mics.length === 0 && <option value="">{t("devices.none")}</option>}
        {mics.map((m, i) => (
          <option key={m.deviceId} value={m.deviceId}>
            {m.label || t("devices.micN", { n: i + 1 })}
          </option>
        ))}
      </select>
      {screenShare && (
        <button type="button" class={screen ? "danger" : "secondary"} aria-pressed={!!screen} onClick={() => void toggleScreen()} data-testid="screen-share">
          {screen ? t("devices.stopShare") : t("devices.startShare")}
        </button>
      )}
      <Notice text={error} />
    </section>
  );
}
