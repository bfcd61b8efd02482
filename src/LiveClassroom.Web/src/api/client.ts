import { pick, t } from "../i18n";
import { NodeRotation, clusterNodes } from "../hub/nodes";

/** The server's error body: {error, message, messageZh} (+ fields for validation, retryAfterSeconds for 429). */
export interface ErrorBody {
  error?: string;
  message?: string;
  messageZh?: string;
  fields?: Record<string, string>;
  retryAfterSeconds?: number;
  /** A refused teacher import: every row's problem. */
  problems?: { line: number; field: string; code: string }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: ErrorBody;

  constructor(status: number, body: ErrorBody) {
    super(body.message || body.error || `HTTP ${status}`);
    this.status = status;
    this.code = body.error ?? `http_${status}`;
    this.body = body;
  }

  /** What to show the user, in the UI's language. */
  get localized(): string {
    const server = pick(this.body.messageZh, this.body.message);
    if (server) return server;
    if (this.status === 0) return t("error.network");
    if (this.status === 403) return t("error.forbidden");
    return t("error.generic", { status: this.status });
  }
}

/** The user-facing text of anything thrown by an API call or hub invocation. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.localized;
  if (e instanceof Error) return e.message;
  return String(e);
}

export interface SendOptions {
  /** Sent as Idempotency-Key: the same key on every retry of one user action (api/actionKey.ts). */
  actionKey?: string;
  /**
   * The request outlives the page (a last report on leaving it: navigation, tab closed, app switched away on a phone);
   * the browser then caps its body at 64 KiB.
   */
  keepalive?: boolean;
  /** The request goes to another node (an ownerUrl): its 401 is that node's answer and does not sign the user out here. */
  otherNode?: boolean;
}

/**
 * Where this page's REST calls go: "" (the page's own node) until a call could not reach it, then the node of the
 * deployment that answered instead (hub/nodes.ts; the nodes share the database and the signing key).
 */
let restBase = "";
const restNodes = new NodeRotation();

/**
 * How long a call that may go elsewhere waits for the page's node before taking it for hung (a node stopped by the
 * kernel, a machine swapping: the connection is accepted and never answered). Only with other nodes to go to.
 */
const HungNodeMs = 12_000;

/**
 * fetch() on this page's REST node; when that node cannot be reached at all (a network failure, not an HTTP error) or
 * does not answer within HungNodeMs, and the call is safe to send twice (a GET, or a call carrying an Idempotency-Key
 * the server deduplicates), the same call goes to the deployment's other nodes in turn, and the first that answers
 * becomes the page's REST node. With one node (no Cluster__Nodes) nothing changes, and no call is timed out. The node
 * list is the one the page's hub connection fetched (or fetches now, on a signed-in page).
 */
async function fetchOnSomeNode(path: string, init: RequestInit, retryable: boolean, token: () => string | null): Promise<Response> {
  const first = path.startsWith("/") ? restBase : "";
  const mayMove = retryable && path.startsWith("/");
  if (mayMove && token()) restNodes.setNodes(await clusterNodes(token));
  const timed = (): RequestInit => (mayMove && restNodes.count > 1 ? { ...init, signal: AbortSignal.timeout(HungNodeMs) } : init);
  try {
    return await fetch(first + path, timed());
  } catch (e) {
    if (!mayMove) throw e;
    restNodes.setNodes(await clusterNodes(token));
    let base = first;
    for (let i = 1; i < restNodes.count; i++) {
      base = restNodes.after(base);
      try {
        const res = await fetch(base + path, timed());
        restBase = base;
        return res;
      } catch {
        // that one is down too: the next
      }
    }
    throw e;
  }
}

/**
 * A JSON client bound to one credential: people and classroom devices hold different tokens,
 * and a browser can hold both (an admin testing a projector), so the token source is explicit.
 */
export class ApiClient {
  constructor(
    private readonly token: () => string | null,
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  get<T>(path: string, options?: SendOptions): Promise<T> {
    return this.send<T>("GET", path, undefined, options);
  }

  post<T>(path: string, body?: unknown, options?: SendOptions): Promise<T> {
    return this.send<T>("POST", path, body, options);
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>("PATCH", path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.send<T>("PUT", path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.send<T>("DELETE", path, undefined);
  }

  /** Sends raw bytes (a file) with their content type; the answer is JSON like every other call. */
  async postBytes<T>(path: string, body: Blob, contentType: string): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json", "Content-Type": contentType };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    let res: Response;
    try {
      res = await fetch(path, { method: "POST", headers, body });
    } catch {
      throw new ApiError(0, {});
    }
    if (res.status === 401 && token) this.onUnauthorized();
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) throw new ApiError(res.status, (json as ErrorBody) ?? {});
    return json as T;
  }

  async send<T>(method: string, path: string, body?: unknown, options?: SendOptions): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (options?.actionKey) headers["Idempotency-Key"] = options.actionKey;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let res: Response;
    try {
      const init: RequestInit = { method, headers, body: body === undefined ? undefined : JSON.stringify(body), keepalive: options?.keepalive };
      res = await fetchOnSomeNode(path, init, method === "GET" || options?.actionKey !== undefined, this.token);
    } catch {
      throw new ApiError(0, {});
    }
    if (res.status === 401 && token && !options?.otherNode) this.onUnauthorized();
    const text = await res.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) throw new ApiError(res.status, (json as ErrorBody) ?? {});
    return json as T;
  }
}
