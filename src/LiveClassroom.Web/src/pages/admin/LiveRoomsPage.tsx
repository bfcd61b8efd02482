import { useEffect, useRef, useState } from "preact/hooks";
import { formatTime, lang, t, type MessageKey } from "../../i18n";
import { api, session } from "../../api/session";
import { errorText } from "../../api/client";
import { unwrap } from "../../api/lessons";
import type { LiveRoom } from "../../api/types";
import { Notice } from "../../components/Notice";
import { placeLabel, qualityLevelKey } from "../../live/classrooms";
import { NetworkWatch, type ClassroomNetwork, type NetworkFrame } from "../../hub/NetworkWatch";
import { NetworkChart, appendHistory, type LinkHistory } from "./NetworkChart";


const connectionKey: Record<ClassroomNetwork["connection"], MessageKey> = {
  Connected: "attendance.present",
  Reconnecting: "live.conn.reconnecting",
  Left: "live.conn.left",
  Absent: "attendance.absent",
};

const layerKey: Record<string, MessageKey> = { f: "live.layer.f", h: "live.layer.h", q: "live.layer.q", single: "live.layer.single" };

/**
 * 正在上课 as the county's network dashboard: every live class in the admin's scope with, per classroom, the SFU's live
 * figures (round trip, loss, jitter, received bitrate, layer), the decoded picture, reconnects and a chart of the last
 * minutes, pushed over the classroom hub about every second (WatchNetwork); per class who is on stage and whether it is recorded.
 */
export function LiveRoomsPage() {
  const [rooms, setRooms] = useState<LiveRoom[] | null>(null);
  const [frames, setFrames] = useState<Record<string, NetworkFrame>>({});
  const [error, setError] = useState<string | null>(null);
  const watch = useRef<NetworkWatch | null>(null);
  const histories = useRef(new Map<string, LinkHistory>());

  useEffect(() => {
    const w = new NetworkWatch(
      session.token,
      (frame) => {
        for (const c of frame.classrooms) {
          const key = `${frame.classId}/${c.classroomId}`;
          let h = histories.current.get(key);
          if (!h) histories.current.set(key, (h = { labels: [], rtt: [], loss: [] }));
          const loss = c.downLoss === null && c.upLoss === null ? null : Math.max(c.downLoss ?? 0, c.upLoss ?? 0) * 100;
          appendHistory(h, clock(frame.at), c.roundTripTimeMs, loss);
        }
        setFrames((f) => ({ ...f, [frame.classId]: frame }));
      },
      (e) => setError(errorText(e)),
      // A class in this admin's scope opened or ended (or the hub came back): the list is read again.
      () => void reload(),
    );
    watch.current = w;
    const started = w.start().catch((e) => setError(errorText(e)));
    let stopped = false;
    // One read at a time; a change announced during a read causes one more read after it.
    let loading: Promise<void> | null = null;
    let again = false;
    const reload = async () => {
      if (loading) {
        again = true;
        return;
      }
      do {
        again = false;
        loading = load();
        await loading;
        loading = null;
      } while (again && !stopped);
    };
    const load = async () => {
      try {
        const body = await api.get<unknown>("/api/rooms/live");
        if (stopped) return;
        const live = unwrap<LiveRoom>(body, "rooms");
        setRooms(live);
        setError(null);
        await started;
        // A class hosted on another node of an older deployment is listed without a class id: nothing to watch.
        for (const r of live) if (r.classId) void w.watch(r.classId);
        setFrames((f) => {
          const kept: Record<string, NetworkFrame> = {};
          for (const r of live) if (f[r.classId]) kept[r.classId] = f[r.classId];
          for (const id of Object.keys(f)) if (!kept[id]) void w.unwatch(id);
          return kept;
        });
      } catch (e) {
        if (stopped) return;
        setRooms((r) => r ?? []);
        setError(errorText(e));
      }
    };
    void reload();
    return () => {
      stopped = true;
      w.stop();
    };
  }, []);

  return (
    <>
      <Notice text={error} />
      {rooms?.length === 0 && !error && <p class="empty">{t("live.none")}</p>}
      <div class="live-rooms" data-testid="live-rooms">
        {(rooms ?? []).map((r) => (
          <LiveClassPanel key={r.classId ?? r.pairingId} room={r} frame={frames[r.classId]} histories={histories.current} />
        ))}
      </div>
    </>
  );
}

function LiveClassPanel({ room: r, frame, histories }: { room: LiveRoom; frame: NetworkFrame | undefined; histories: Map<string, LinkHistory> }) {
  const rows: ClassroomNetwork[] | null = frame?.classrooms ?? null;
  const onStage = (rows ?? [])
    .filter((c) => c.stageSeat !== null)
    .sort((a, b) => (a.stageSeat ?? 0) - (b.stageSeat ?? 0))
    .map((c) => c.name);
  return (
    <section class="panel" aria-label={r.title || r.pairingName}>
      <h2>{r.title || r.pairingName}</h2>
      <p class="muted">
        {[r.pairingName, r.openedAt ? t("live.since", { time: formatTime(r.openedAt) }) : null, r.ownerUrl].filter(Boolean).join(" · ")}
      </p>
      <p class="net-class">
        <span class={frame?.recording ? "badge recording" : "badge"} data-testid="net-recording">
          {frame?.recording === true ? t("live.recording") : frame?.recording === false ? t("live.notRecording") : t("live.recordingUnknown")}
        </span>{" "}
        <span data-testid="net-stage">{onStage.length > 0 ? t("live.stage", { names: onStage.join("、") }) : t("live.stageEmpty")}</span>{" "}
        {frame && (
          <span class="muted" data-testid="net-updated" data-seq={frame.seq} data-at={frame.at}>
            {t("live.updated", { time: clock(frame.at) })}
          </span>
        )}
      </p>
      <div class="net-scroll">
      <table class="data net-table">
        <thead>
          <tr>
            <th scope="col">{t("attendance.classroom")}</th>
            <th scope="col">{t("attendance.status")}</th>
            <th scope="col">{t("live.quality")}</th>
            <th scope="col">{t("live.rtt")}</th>
            <th scope="col">{t("live.loss")}</th>
            <th scope="col">{t("live.jitter")}</th>
            <th scope="col">{t("live.received")}</th>
            <th scope="col">{t("live.video")}</th>
            <th scope="col">{t("live.layer")}</th>
            <th scope="col">{t("live.reconnects")}</th>
            <th scope="col">{t("live.history")}</th>
          </tr>
        </thead>
        <tbody>
          {rows
            ? rows.map((c) => <ClassroomRow key={c.classroomId} c={c} history={histories.get(`${r.classId}/${c.classroomId}`)} version={frame?.seq ?? 0} />)
            : r.classrooms.map((c) => (
                <tr key={c.classroomId}>
                  <th scope="row">{placeLabel(c.schoolName, c.name)}</th>
                  <td>{c.present ? t("attendance.present") : t("attendance.absent")}</td>
                  <td colSpan={9} class="muted">—</td>
                </tr>
              ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}

function ClassroomRow({ c, history, version }: { c: ClassroomNetwork; history: LinkHistory | undefined; version: number }) {
  const flags = [c.isLead && t("live.lead"), c.stageSeat !== null && t("live.onStage")].filter(Boolean).join(" · ");
  const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
  return (
    <tr data-testid="net-row" data-classroom={c.classroomId} data-quality={c.quality}>
      <th scope="row">{c.name}</th>
      <td>
        {t(connectionKey[c.connection])}
        {flags ? ` · ${flags}` : ""}
      </td>
      <td>
        <span class={`quality-level q-${c.quality}`} data-testid="live-quality">{t(qualityLevelKey[c.quality])}</span>
        {c.degraded && (
          <>
            {" "}
            <span class="badge lost net-degraded" data-testid="net-degraded">
              {t("live.degraded")}
            </span>
          </>
        )}
      </td>
      <td data-testid="net-rtt">{c.roundTripTimeMs === null ? "—" : `${Math.round(c.roundTripTimeMs)} ms`}</td>
      <td data-testid="net-loss" title={t("live.lossDetail")}>
        {c.downLoss === null && c.upLoss === null ? "—" : `↓${pct(c.downLoss)} ↑${pct(c.upLoss)}`}
      </td>
      <td data-testid="net-jitter">{c.jitterMs === null ? "—" : `${Math.round(c.jitterMs)} ms`}</td>
      <td data-testid="net-bitrate">{c.downBitrateBps === null ? "—" : `${Math.round(c.downBitrateBps / 1000)} kbit/s`}</td>
      <td data-testid="net-video">
        {c.frameWidth && c.frameHeight
          ? t("live.videoFormat", { w: c.frameWidth, h: c.frameHeight, fps: Math.round(c.framesPerSecond ?? 0) })
          : "—"}
      </td>
      <td data-testid="net-layer">{c.videoPaused ? t("live.layer.paused") : c.layer ? t(layerKey[c.layer] ?? "live.layer.single") : "—"}</td>
      <td data-testid="net-reconnects">{c.reconnects}</td>
      <td>{history && <NetworkChart history={history} version={version} />}</td>
    </tr>
  );
}

/** The frame's time with seconds: successive frames a second apart must read apart. */
function clock(iso: string): string {
  return new Date(iso).toLocaleTimeString(lang(), { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
}
