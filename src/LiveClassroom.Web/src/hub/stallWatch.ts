import { HubConnection, HubConnectionState } from "@microsoft/signalr";

/**
 * The server sends a keep-alive every 4 s (ClassroomHubExtensions: KeepAliveInterval). A connection that has heard
 * nothing for 2.5 times that is stalled: the link is down, or it is back and this connection's TCP stream still waits.
 */
export const stallAfterMs = 10_000;
/** While stalled, a fresh request to the same server is tried this often, and given this long. */
const probeEveryMs = 2_000;
const probeTimeoutMs = 2_000;

/**
 * Finds a hub connection stuck behind TCP's retransmission back-off after an outage (issue #15).
 *
 * Alone, a page waits up to 60 s for a silent server (connect.ts, serverTimeoutMs.alone): a rural link stalls for
 * seconds at a time and the hub must ride that out. But after a total outage of half a minute, the connection's unanswered
 * segments are retransmitted at doubling intervals (RFC 6298 §5.5), so the stream resumes only at the next retry, up
 * to tens of seconds after the link is back; measured with OutageFigures (35 s outages): the ICE-restart offer the page
 * sent during the outage was answered 20–24 s after the link returned. A new connection is not held back that way.
 *
 * So, while the connection is stalled, the page asks the same server for /healthz/live on a fresh request. When that
 * answers and the hub still has not, the link works and only this connection is stuck: `onStuck` drops it, and the
 * owner connects again at once (a new TCP connection) and rejoins.
 *
 * "Heard" is read where the connection hands each received message to the hub protocol (HttpConnection.onreceive,
 * which every transport it starts copies). Where a SignalR client lays that out differently, the watch stays off and
 * the serverTimeout path remains.
 * Returns a function that stops the watch.
 */
export function watchForStall(conn: HubConnection, probeUrl: string, onStuck: () => void): () => void {
  const inner = (conn as unknown as { connection?: { onreceive?: ((data: unknown) => void) | null } }).connection;
  const receive = inner?.onreceive;
  if (!inner || typeof receive !== "function") return () => {};
  let heardAt = performance.now();
  inner.onreceive = (data) => {
    heardAt = performance.now();
    receive.call(inner, data);
  };
  let probing = false;
  const timer = window.setInterval(() => {
    if (probing || conn.state !== HubConnectionState.Connected || performance.now() - heardAt < stallAfterMs) return;
    probing = true;
    fetch(probeUrl, { cache: "no-store", signal: AbortSignal.timeout(probeTimeoutMs) })
      .then((res) => {
        if (res.ok && conn.state === HubConnectionState.Connected && performance.now() - heardAt >= stallAfterMs) onStuck();
      })
      .catch(() => {
        // No answer either: the link itself is down; the next probe asks again.
      })
      .finally(() => {
        probing = false;
      });
  }, probeEveryMs);
  return () => window.clearInterval(timer);
}
