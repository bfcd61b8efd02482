import { HubConnection, HubConnectionBuilder, LogLevel } from "@microsoft/signalr";

/** Retries forever: a rural classroom or a teacher's laptop must come back by itself however long the outage. */
export const retryForever = { nextRetryDelayInMilliseconds: (ctx: { previousRetryCount: number }) => [0, 1000, 2000, 5000][ctx.previousRetryCount] ?? 5000 };

/** A hub connection as every page uses it: bearer token, automatic reconnect, generous timeouts, no console logging. */
export function buildHubConnection(url: string, token: () => string | null): HubConnection {
  const conn = new HubConnectionBuilder()
    .withUrl(url, { accessTokenFactory: () => token() ?? "" })
    .withAutomaticReconnect(retryForever)
    .configureLogging(LogLevel.None)
    .build();
  conn.serverTimeoutInMilliseconds = 60_000;
  conn.keepAliveIntervalInMilliseconds = 10_000;
  return conn;
}

