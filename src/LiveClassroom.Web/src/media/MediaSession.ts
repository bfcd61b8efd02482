import { HubError, toHubError } from "../hub/errors";
import type { ConnectionStats, MediaDescription, ReceiveSlot } from "../hub/types";
import { FrameWatch } from "./FrameWatch";
import { NodeLossWatch } from "./nodeLoss";
import { SerialQueue } from "./SerialQueue";
import type { IceServerSource } from "./iceServers";
import { cameraLayers, screenLayers } from "./simulcast";

export interface SlotSpec {
  name: string;
  kind: "audio" | "video";
}

/** The hub's Negotiate answer: the SFU's SDP and the room's event sequence as of the answer (docs/HUB.md; absent from an older server). */
export interface NegotiatedAnswer {
  sdpAnswer: string;
  eventSequence?: number;
}

export type Negotiator = (sdpOffer: string, description: MediaDescription) => Promise<NegotiatedAnswer>;

/**
 * Refusals that another attempt cannot fix: shown to the user, not retried (docs/HUB.md, "Errors"). A refused SDP
 * (invalid_sdp, bad_sdp, sdp_unsupported) is not among them: after outages and bad-link periods the browser's offer
 * can carry state the server no longer matches, and a fresh peer connection's offer is accepted, so those are
 * rolled back and retried with back-off rather than left showing 无法解析 SDP 媒体协商信息 until someone clicks.
 */
const finalRefusals = new Set([
  "forbidden", "invalid_input", "bad_input", "invalid_state", "class_not_found",
  "not_a_member", "not_a_person", "session_not_found", "session_cancelled", "session_ended", "unauthorized",
]);

/** Back-off between negotiation retries: 1 s, 2 s, 4 s, 8 s, then every 10 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(10_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

/**
 * The participant's one RTCPeerConnection to the SFU: sendonly camera/microphone (and screen while
 * sharing) plus a fixed set of recvonly receive slots whose sources the server switches without
 * renegotiation. State machine: idle → negotiating → connected ⇄ recovering (ICE restart), closed;
 * any state → suspended (another tab of the same account took the media over) → negotiating on resume().
 * Negotiations are serialised; one the server or browser refused rebuilds the peer connection from scratch (a new
 * DTLS certificate and ICE credentials, which the SFU takes as this participant's new connection) and, while
 * that keeps failing for a reason another attempt may fix, tries again with back-off (retryDelayMs). One the hub
 * could not carry (its connection down) keeps the peer connection and tries again, on it. While the hub is not joined
 * to the room (canSignal), nothing is offered: the hub's rejoin renegotiates.
 */
export class MediaSession {
  private pc!: RTCPeerConnection;
  private camera: RTCRtpTransceiver | null = null;
  private microphone: RTCRtpTransceiver | null = null;
  private screen: RTCRtpTransceiver | null = null;
  private slots: { spec: SlotSpec; transceiver: RTCRtpTransceiver }[] = [];
  private readonly failed = (e: unknown) => {
    this.lastError = e;
    this.changed();
  };
  private readonly negotiations = new SerialQueue(this.failed);
  /** setParameters needs the latest transaction, so sender changes run one at a time. */
  private readonly senderChanges = new SerialQueue(this.failed);
  private disconnectTimer: number | undefined;
  /** Which MediaNodeLost still concerns the current peer; while one waits, the next negotiation starts on a fresh peer (reconnect()). */
  private readonly nodeLoss = new NodeLossWatch();
  private closed = false;
  private readonly listeners = new Set<() => void>();
  private tracks = { camera: null as MediaStreamTrack | null, microphone: null as MediaStreamTrack | null, screen: null as MediaStreamTrack | null };
  /** Whether camera / microphone put packets on the wire (see setSending); kept across a rebuilt peer connection. */
  private readonly sending = { camera: true, microphone: true };
  /** Remote media per slot name (main, screen, stage, …). */
  readonly streams = new Map<string, MediaStream>();
  state: RTCPeerConnectionState | "idle" | "suspended" = "idle";
  lastError: unknown = null;
  /** Failed negotiation attempts in a row (0 once one succeeds); the next retry waits retryDelayMs(attempts). */
  attempts = 0;
  private retryTimer: number | undefined;
  /**
   * Whether the hub can carry an offer now (joined to the room: LiveRoom sets it from the hub connection). While it
   * cannot, negotiations are held, not sent: the hub's rejoin renegotiates once (LiveClass.onJoined).
   */
  canSignal: () => boolean = () => true;
  /** Called whenever a fresh peer connection replaces the previous one (not for the first). */
  onNewPeerConnection: () => void = () => {};
  /** Negotiations held because the hub could not carry them (diagnostics and end-to-end tests). */
  heldForHub = 0;
  private readonly frames = new FrameWatch(() => this.videoReceivers(), () => this.changed());

  constructor(
    private readonly negotiator: Negotiator,
    private slotSpecs: SlotSpec[],
    private readonly iceServers: IceServerSource | null = null,
    /** Send camera and screen as simulcast layers (simulcast.ts): the lead teacher, whom every classroom watches. */
    private readonly simulcast = false,
  ) {
    this.build();
    this.frames.start();
  }

  /** True when the named video slot has decoded frames since `at` (performance.now() time; see FrameWatch). */
  framesSince(slot: string, at: number): boolean {
    return this.frames.movedSince(slot, at);
  }

  /** True while the named video slot's frames have stopped for more than ~2 s after having flowed (see FrameWatch). */
  stalled(slot: string): boolean {
    return this.state !== "suspended" && this.frames.stalled(slot);
  }

  private videoReceivers(): Map<string, RTCRtpReceiver> {
    const map = new Map<string, RTCRtpReceiver>();
    for (const s of this.slots) if (s.spec.kind === "video" && this.streams.has(s.spec.name)) map.set(s.spec.name, s.transceiver.receiver);
    return map;
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    this.listeners.forEach((l) => l());
  }

  private build(): void {
    if (this.pc) this.onNewPeerConnection();
    this.pc?.close();
    this.nodeLoss.newPeer();
    this.streams.clear();
    const pc = new RTCPeerConnection({ bundlePolicy: "max-bundle", rtcpMuxPolicy: "require", iceServers: this.iceServers?.current ?? [] });
    this.pc = pc;
    this.camera = this.microphone = this.screen = null;
    if (this.tracks.camera) this.camera = this.addSender("camera", this.tracks.camera);
    if (this.tracks.microphone) this.microphone = this.addSender("microphone", this.tracks.microphone);
    if (this.tracks.screen) this.screen = this.addScreen(this.tracks.screen);
    const videoCodecs = forwardableVideoCodecs();
    this.slots = this.slotSpecs.map((spec) => {
      const transceiver = pc.addTransceiver(spec.kind, { direction: "recvonly" });
      // Every codec Chromium offers costs ~4 KB of SDP per video slot; a research room's 14 video slots would pass the
      // hub's message limit. Receive slots only ever get what the SFU forwards (VP8, H.264 42e01f, with RTX).
      if (spec.kind === "video" && videoCodecs.length > 0) transceiver.setCodecPreferences(videoCodecs);
      return { spec, transceiver };
    });
    pc.ontrack = (e) => {
      const slot = this.slots.find((s) => s.transceiver === e.transceiver);
      if (!slot) return;
      this.streams.set(slot.spec.name, new MediaStream([e.track]));
      this.changed();
    };
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return;
      this.state = pc.connectionState;
      clearTimeout(this.disconnectTimer);
      if (pc.connectionState === "failed") this.restartIce();
      // "disconnected" often heals by itself within a second or two; restart ICE if it does not.
      if (pc.connectionState === "disconnected") this.disconnectTimer = window.setTimeout(() => this.restartIce(), 3000);
      this.changed();
    };
  }

  /**
   * Keeps only the receive slots the class has seats for (the server refuses unknown slot names). Takes
   * effect before the first negotiation; afterwards the slot set is fixed for the life of the peer.
   */
  limitSlots(keep: (slot: SlotSpec) => boolean): void {
    if (this.state !== "idle") return;
    const next = this.slotSpecs.filter(keep);
    if (next.length === this.slotSpecs.length) return;
    this.slotSpecs = next;
    this.build();
  }

  /** Sets or switches the camera (replaceTrack: no renegotiation unless the transceiver is new). */
  async setCamera(track: MediaStreamTrack | null): Promise<void> {
    this.tracks.camera = track;
    await this.setSender("camera", track);
  }

  async setMicrophone(track: MediaStreamTrack | null): Promise<void> {
    this.tracks.microphone = track;
    await this.setSender("microphone", track);
  }

  async startScreen(track: MediaStreamTrack): Promise<void> {
    this.tracks.screen = track;
    await this.setSender("screen", track);
  }

  async stopScreen(): Promise<void> {
    const tr = this.screen;
    this.tracks.screen = null;
    if (!tr) return;
    await tr.sender.replaceTrack(null);
    tr.direction = "inactive";
    this.screen = null;
    if (this.state !== "idle") await this.negotiate(false);
  }

  private async setSender(which: "camera" | "microphone" | "screen", track: MediaStreamTrack | null): Promise<void> {
    const existing = this[which];
    if (existing) {
      await existing.sender.replaceTrack(track);
      return;
    }
    if (!track) return;
    // A stopped screen share leaves an inactive transceiver: reuse it instead of growing the SDP.
    const reusable = which === "screen" ? this.pc.getTransceivers().find((t) => t.direction === "inactive" && t.receiver.track.kind === "video") : undefined;
    if (reusable) {
      reusable.direction = "sendonly";
      await reusable.sender.replaceTrack(track);
      this[which] = reusable;
    } else {
      this[which] = which === "screen" ? this.addScreen(track) : this.addSender(which, track);
    }
    if (this.state !== "idle") await this.negotiate(false);
  }

  private addSender(which: "camera" | "microphone", track: MediaStreamTrack): RTCRtpTransceiver {
    const active = this.sending[which];
    const sendEncodings = which === "camera" && this.simulcast ? cameraLayers.map((l) => ({ ...l, active })) : [{ active }];
    return this.pc.addTransceiver(track, { direction: "sendonly", sendEncodings });
  }

  // A reused (once inactive) screen transceiver keeps the encodings it was created with: screenLayers when simulcast.
  private addScreen(track: MediaStreamTrack): RTCRtpTransceiver {
    return this.pc.addTransceiver(track, { direction: "sendonly", ...(this.simulcast ? { sendEncodings: screenLayers.map((l) => ({ ...l })) } : {}) });
  }

  /**
   * Starts or stops sending camera or microphone while keeping the negotiated sender: the encoding is switched
   * with RTCRtpSender.setParameters (active), so there is no renegotiation and resuming takes one round of the
   * encoder (a keyframe), not an offer/answer.
   */
  setSending(which: "camera" | "microphone", on: boolean): Promise<void> {
    this.sending[which] = on;
    return this.senderChanges.run(async () => {
      const sender = this[which]?.sender;
      if (!sender || this.closed) return;
      const want = this.sending[which];
      const params = sender.getParameters();
      if (params.encodings.length === 0 || params.encodings.every((e) => e.active === want)) return;
      params.encodings.forEach((e) => (e.active = want));
      await sender.setParameters(params);
    });
  }

  /**
   * The server says the media node of this peer connection is gone (hub MediaNodeLost, numbered `lossSequence`): start
   * over on a fresh peer connection now, without waiting for the browser to notice and the "disconnected" grace above.
   * Another node answers, with its own DTLS certificate, so an ICE restart on this connection would be refused anyway.
   * Only the server's word triggers it: a lossy link's short blips still get the grace. A loss numbered at or below the
   * answer of the current peer is of an earlier peer (nodeLoss.ts): ignored here, and again when its turn in the
   * negotiation queue comes if the negotiation in flight brings such an answer, so a page that its own fallback already
   * moved to a live node does not offer a second time (issue #17).
   */
  reconnect(lossSequence = Number.POSITIVE_INFINITY): void {
    if (this.closed || this.suspended || this.state === "idle") return;
    if (!this.nodeLoss.lost(lossSequence)) return;
    clearTimeout(this.disconnectTimer);
    this.negotiate(false, true).catch(() => {});
  }

  /** Whether a MediaNodeLost numbered so concerns the current peer connection (see reconnect). */
  nodeLossConcerns(lossSequence: number): boolean {
    return this.nodeLoss.concerns(lossSequence);
  }

  /** The event sequence of the current peer connection's latest answer (-1: none yet; diagnostics and end-to-end tests). */
  get answeredSequence(): number {
    return this.nodeLoss.answeredSequence;
  }

  /** Fire-and-forget ICE restart; a failure is kept in lastError and retried with back-off. */
  private restartIce(): void {
    this.negotiate(true).catch(() => {});
  }

  /**
   * Offer → hub Negotiate → answer. Serialised; iceRestart after a network change. A failure rebuilds the peer
   * connection and tries once more at once; if that fails too for a reason another attempt may fix, a retry is
   * scheduled with back-off and the returned promise rejects with the error (shown meanwhile).
   */
  negotiate(iceRestart = false, forNodeLoss = false): Promise<void> {
    clearTimeout(this.retryTimer);
    return this.negotiations.run(async () => {
      if (this.closed || this.suspended) return;
      // A node loss's own renegotiation, and the peer it concerned has been replaced or answered after the loss meanwhile
      // (the negotiation before it in the queue): nothing to offer.
      if (forNodeLoss && !this.nodeLoss.rebuildWanted) return;
      // The hub is down, reconnecting or joining again (after its node died, the room starts over on another one): an
      // offer now would be lost or refused, and the fresh peer connection the silence fallback builds would wait for
      // the hub anyway. Hold it: the rejoin renegotiates once, with what was asked for meanwhile (a node loss stays
      // wanted; an ICE restart is what the rejoin asks for). A page whose hub is fine still offers at once.
      if (!this.canSignal()) {
        this.heldForHub++;
        this.changed();
        return;
      }
      const fresh = this.nodeLoss.rebuildWanted;
      if (fresh) this.build();
      try {
        try {
          await this.negotiateOnce(iceRestart && !fresh);
        } catch (e) {
          this.lastError = e;
          // The hub did not carry the offer (its connection is down, as in an outage of the whole link): the peer
          // connection is not at fault and often heals by itself once the link is back (ICE consent checks on the old
          // pair). A fresh one would cost a new DTLS handshake and could negotiate only after the hub is back; keep it
          // and let the hub's rejoin restart ICE on it (LiveClass.onJoined), or the retry below.
          if (e instanceof SignallingLost) throw e;
          if (this.closed || this.suspended || !retryable(e)) throw e;
          // A renegotiation the old peer cannot accept: start over with a fresh peer connection.
          this.build();
          await this.negotiateOnce(false);
        }
        this.attempts = 0;
      } catch (e) {
        this.lastError = e;
        if (!this.closed && !this.suspended && retryable(e)) {
          this.attempts++;
          // An ICE restart the hub could not carry is still wanted when it is back.
          const restart = e instanceof SignallingLost && iceRestart && !fresh;
          this.retryTimer = window.setTimeout(() => void this.negotiate(restart).catch(() => {}), retryDelayMs(this.attempts));
        }
        throw e;
      }
    });
  }

  // A method, not a narrowed field read: suspend() may run while a negotiation awaits the hub.
  private get suspended(): boolean {
    return this.state === "suspended";
  }

  /** Another tab of the same account took the media over: stop sending and receiving, and do not try again by itself. */
  suspend(): void {
    clearTimeout(this.retryTimer);
    clearTimeout(this.disconnectTimer);
    this.pc.close();
    this.streams.clear();
    this.state = "suspended";
    this.lastError = null;
    this.changed();
  }

  /** Takes the media back (the user chose to continue here): a fresh peer connection, negotiated now. */
  resume(): Promise<void> {
    if (this.state !== "suspended") return Promise.resolve();
    this.state = "new";
    this.build();
    this.changed();
    return this.negotiate(false);
  }

  private async negotiateOnce(iceRestart: boolean): Promise<void> {
    const pc = this.pc;
    if (this.state === "idle") this.state = "new";
    await this.refreshIceServers(pc);
    const offer = await pc.createOffer({ iceRestart });
    await pc.setLocalDescription(offer);
    await gatheringComplete(pc);
    const description: MediaDescription = {
      publish: {
        camera: this.camera?.mid ?? undefined,
        microphone: this.microphone?.mid ?? undefined,
        screen: this.screen?.mid ?? undefined,
      },
      receiveSlots: this.slots.map<ReceiveSlot>((s) => ({ mid: s.transceiver.mid!, kind: s.spec.kind, name: s.spec.name })),
    };
    try {
      const answer = await this.negotiator(pc.localDescription!.sdp, description).catch((e: unknown) => {
        const refusal = toHubError(e);
        throw refusal.code === "connection" ? new SignallingLost(refusal.body) : refusal;
      });
      // Suspended or rebuilt while the hub answered: this answer belongs to a peer connection that is gone.
      if (pc !== this.pc || this.suspended) return;
      // Another media server answered (the class moved to another node when its node died). Chromium takes such an
      // answer on the same peer connection but keeps its DTLS association with the old server, so the new one waits
      // for a handshake that never comes and no media flows. Start over on a fresh peer connection (negotiate() rebuilds).
      const before = fingerprintOf(pc.currentRemoteDescription?.sdp);
      if (before && fingerprintOf(answer.sdpAnswer) !== before) throw new Error("the media server changed: a new peer connection is needed");
      await pc.setRemoteDescription({ type: "answer", sdp: answer.sdpAnswer });
      this.nodeLoss.answeredAt(answer.eventSequence);
    } catch (e) {
      // RFC 8829 §4.1.10.2 (JSEP rollback): an offer the server refused (or whose answer the browser refused) must not
      // leave the connection in have-local-offer: back to the last agreed description, which keeps media flowing
      // (an ICE restart's old credentials stay valid on the SFU until the new ones are used), and retry from there.
      if (pc.signalingState === "have-local-offer") await pc.setLocalDescription({ type: "rollback" }).catch(() => {});
      throw e;
    }
    this.lastError = null;
    this.changed();
  }

  /** TURN credentials expire (TTL): a new peer connection or ICE restart gathers with fresh ones. */
  private async refreshIceServers(pc: RTCPeerConnection): Promise<void> {
    if (!this.iceServers) return;
    const servers = await this.iceServers.get();
    if (JSON.stringify(pc.getConfiguration().iceServers ?? []) === JSON.stringify(servers)) return;
    try {
      pc.setConfiguration({ ...pc.getConfiguration(), iceServers: servers });
    } catch {
      // A configuration the browser refuses leaves the previous servers in place; direct paths still work.
    }
  }

  /** Connection quality as HUB.md's ReportConnectionStats wants it (bitrates from the byte counters since the last call). */
  async stats(): Promise<ConnectionStats> {
    const report = await this.pc.getStats();
    let rtt = 0;
    let lost = 0;
    let received = 0;
    let bytesIn = 0;
    let bytesOut = 0;
    let video = { jitterMs: 0, frameWidth: 0, frameHeight: 0, framesPerSecond: 0 };
    report.forEach((s) => {
      if (s.type === "inbound-rtp" && s.kind === "video" && (s.frameWidth ?? 0) * (s.frameHeight ?? 0) > video.frameWidth * video.frameHeight) {
        video = { jitterMs: Math.round((s.jitter ?? 0) * 1000), frameWidth: s.frameWidth, frameHeight: s.frameHeight, framesPerSecond: s.framesPerSecond ?? 0 };
      }
      if (s.type === "candidate-pair" && s.nominated && s.state === "succeeded" && typeof s.currentRoundTripTime === "number") rtt = s.currentRoundTripTime * 1000;
      if (s.type === "inbound-rtp") {
        lost += s.packetsLost ?? 0;
        received += s.packetsReceived ?? 0;
        bytesIn += s.bytesReceived ?? 0;
      }
      if (s.type === "outbound-rtp") bytesOut += s.bytesSent ?? 0;
    });
    const now = performance.now();
    const seconds = this.lastStats ? (now - this.lastStats.at) / 1000 : 0;
    const rate = (bytes: number, prev: number) => (seconds > 0 ? Math.max(0, Math.round(((bytes - prev) * 8) / seconds)) : 0);
    const inbound = rate(bytesIn, this.lastStats?.bytesIn ?? 0);
    const outbound = rate(bytesOut, this.lastStats?.bytesOut ?? 0);
    this.lastStats = { at: now, bytesIn, bytesOut };
    const packetLoss = received + lost > 0 ? lost / (received + lost) : 0;
    const quality = this.state !== "connected" || packetLoss > 0.08 || rtt > 400 ? "poor" : packetLoss > 0.02 || rtt > 200 ? "fair" : "good";
    return { roundTripTimeMs: Math.round(rtt), packetLoss, inboundBitrateBps: inbound, outboundBitrateBps: outbound, quality, ...video };
  }

  private lastStats: { at: number; bytesIn: number; bytesOut: number } | null = null;

  /** Frames decoded so far on a video slot (diagnostics and end-to-end tests). */
  async framesDecoded(slot: string): Promise<number> {
    const tr = this.slots.find((s) => s.spec.name === slot)?.transceiver;
    if (!tr) return 0;
    let frames = 0;
    (await tr.receiver.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp") frames += s.framesDecoded ?? 0;
    });
    return frames;
  }

  /** Packets received so far on a slot, audio or video (diagnostics and end-to-end tests). */
  async packetsReceived(slot: string): Promise<number> {
    const tr = this.slots.find((s) => s.spec.name === slot)?.transceiver;
    if (!tr) return 0;
    let packets = 0;
    (await tr.receiver.getStats()).forEach((s) => {
      if (s.type === "inbound-rtp") packets += s.packetsReceived ?? 0;
    });
    return packets;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.disconnectTimer);
    clearTimeout(this.retryTimer);
    this.frames.stop();
    this.pc.close();
    this.state = "closed";
  }
}

/** The hub's connection failed while it carried an offer (not a refusal): see negotiate(). */
class SignallingLost extends HubError {
  constructor(body: HubError["body"]) {
    super("connection", body);
  }
}

/** The first a=fingerprint of an SDP (RFC 8122 §5), or null. */
function fingerprintOf(sdp: string | undefined): string | null {
  const m = sdp ? /^a=fingerprint:(.+)$/m.exec(sdp) : null;
  return m ? m[1].trim().toLowerCase() : null;
}

function retryable(e: unknown): boolean {
  return !finalRefusals.has(toHubError(e).code);
}

function gatheringComplete(pc: RTCPeerConnection): Promise<void> {
  // The hub has no trickle-ICE method: the offer carries all host candidates (gathered in milliseconds).
  return new Promise((resolve) => {
    if (pc.iceGatheringState === "complete") return resolve();
    const done = () => {
      if (pc.iceGatheringState !== "complete") return;
      pc.removeEventListener("icegatheringstatechange", done);
      resolve();
    };
    pc.addEventListener("icegatheringstatechange", done);
    setTimeout(resolve, 2000);
  });
}

/** The video codecs our SFU forwards (docs/HUB.md): VP8 and constrained-baseline H.264 in packetization mode 1, plus RTX. */
function forwardableVideoCodecs(): RTCRtpCodec[] {
  const codecs = RTCRtpReceiver.getCapabilities?.("video")?.codecs ?? [];
  return codecs.filter((c) => {
    const fmtp = c.sdpFmtpLine ?? "";
    if (c.mimeType === "video/VP8" || c.mimeType === "video/rtx") return true;
    return c.mimeType === "video/H264" && fmtp.includes("packetization-mode=1") && fmtp.includes("profile-level-id=42e01f");
  });
}
