import { HubConnection, HubConnectionBuilder, LogLevel, type IRetryPolicy } from "@microsoft/signalr";

/** Retries forever: a rural classroom or a teacher's laptop must come back by itself however long the outage. */
export const retryForever = { nextRetryDelayInMilliseconds: (ctx: { previousRetryCount: number }) => [0, 1000, 2000, 5000][ctx.previousRetryCount] ?? 5000 };

/**
 * With other nodes to go to (hub/nodes.ts): a few quick retries of this node, then the connection closes and its owner
 * moves to the next node, instead of waiting on a dead one forever.
 */
export const retryThenMove: IRetryPolicy = {
  nextRetryDelayInMilliseconds: (ctx: { previousRetryCount: number; retryReason?: Error }) =>
    // Silent past serverTimeoutMs.cluster: a hung node, not worth another try; a dropped socket is.
    /server timeout/i.test(ctx.retryReason?.message ?? "") ? null : ([0, 1000][ctx.previousRetryCount] ?? null),
};

/** A start that has not finished by then is a hung node (it accepts connections but answers nothing): try another. */
export const startTimeoutMs = 10_000;

/**
 * How long a silent server is waited for. Alone, a node is worth waiting for (a rural link stalls for seconds at a
 * time): 60 s. With other nodes to go to, a node that sends nothing (not even the server's 4 s keep-alive) for 8 s is
 * taken for hung (kill -STOP, a frozen VM) and the page moves on (issue #20): a dead node is found by its closed socket.
 * Twice the server's keep-alive, as SignalR asks. 8 s, not 10 s: with the cluster declaring a hung node dead in ~6 s
 * (FailureDetection.cs), the page on that node is then the last to move, and video comes back within 10 s.
 */
export const serverTimeoutMs = { alone: 60_000, cluster: 8_000 };

/** With other nodes to go to, an HTTP request of the connection (negotiate) gets this long: a hung node accepts and never answers. */
const clusterRequestTimeoutMs = 8_000;

/**
 * A hub connection as every page uses it: bearer token, automatic reconnect, generous timeouts, no console logging.
 * No credentials (the token is the only credential): a hub on another node of the cluster is then a plain CORS request.
 */
export function buildHubConnection(url: string, token: () => string | null, reconnect: IRetryPolicy = retryForever, inCluster = false): HubConnection {
  const conn = new HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => token() ?? "", withCredentials: false, ...(inCluster ? { timeout: clusterRequestTimeoutMs } : {}) })
    .withAutomaticReconnect(reconnect)
    .configureLogging(LogLevel.None)
    .build();
  conn.serverTimeoutInMilliseconds = inCluster ? serverTimeoutMs.cluster : serverTimeoutMs.alone;
  conn.keepAliveIntervalInMilliseconds = 10_000;
  return conn;
}

/** Starts a connection, giving up (and stopping it) after startTimeoutMs. */
export async function startWithin(conn: HubConnection, ms = startTimeoutMs): Promise<void> {
  let timer: number | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = window.setTimeout(() => reject(new Error(`no answer from the hub within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([conn.start(), timeout]);
  } catch (e) {
    void conn.stop().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
