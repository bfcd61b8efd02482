/**
 * The deployment's nodes as a page reaches them (GET /api/client-config, docs/API.md "Client configuration"): a hub
 * connection that cannot reach its node moves to the next one, so a page gets its class back through any live node
 * without a click (README, "Several nodes"). Base URLs are "" for the page's own node, else an origin.
 */

export interface ClientConfig {
  nodes: string[];
}

let loaded: Promise<string[]> | null = null;

/** The other nodes' origins, fetched once per page; [] when the page's node answers nothing useful (then it is alone). */
export function clusterNodes(token: () => string | null): Promise<string[]> {
  loaded ??= fetchNodes(token).then((nodes) => {
    // A failed fetch is not cached: the next connection attempt asks again.
    if (nodes === null) loaded = null;
    return nodes ?? [];
  });
  return loaded;
}

async function fetchNodes(token: () => string | null): Promise<string[] | null> {
  try {
    const headers: Record<string, string> = { Accept: "application/json" };
    const t = token();
    if (t) headers.Authorization = `Bearer ${t}`;
    // A hung node must not hold the connection attempt: past 5 s the page carries on alone.
    const res = await fetch("/api/client-config", { headers, signal: AbortSignal.timeout(5000) });
    if (!res.ok) return null;
    const body = (await res.json()) as Partial<ClientConfig> | null;
    return Array.isArray(body?.nodes) ? body!.nodes.filter((n): n is string => typeof n === "string" && /^https?:\/\/[^/]+$/.test(n)) : [];
  } catch {
    return null;
  }
}

/**
 * The order a connection tries nodes in: the page's own node first, then the listed ones (the page's origin is not
 * listed twice). `after(base)` is the node to try once `base` failed, wrapping round.
 */
export class NodeRotation {
  private bases: string[] = [""];

  constructor(private readonly pageOrigin: string = location.origin) {}

  /** Takes the cluster's list (origins); keeps the page's own node first. */
  setNodes(nodes: readonly string[]): void {
    this.bases = ["", ...nodes.filter((n) => n !== this.pageOrigin)].filter((b, i, all) => all.indexOf(b) === i);
  }

  get count(): number {
    return this.bases.length;
  }

  /** The node after `base` (a base not in the list, e.g. a room_moved owner, is followed by the page's own node). */
  after(base: string): string {
    const key = base === this.pageOrigin ? "" : base;
    const i = this.bases.indexOf(key);
    return this.bases[(i + 1) % this.bases.length];
  }
}
