import { useEffect, useState } from "preact/hooks";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import type { Organisation } from "../../api/types";

export interface FlatOrg {
  org: Organisation & { canAdminister?: boolean; ancestorOnly?: boolean };
  depth: number;
  path: string;
}

export function flatten(roots: Organisation[]): FlatOrg[] {
  const out: FlatOrg[] = [];
  const walk = (o: Organisation, depth: number, path: string) => {
    const p = path ? `${path} / ${o.name}` : o.name;
    out.push({ org: o, depth, path: p });
    (o.children ?? []).forEach((c) => walk(c, depth + 1, p));
  };
  roots.forEach((r) => walk(r, 0, ""));
  return out;
}

/** The organisation tree the caller may see, with a reload for after edits. */
export function useOrgTree(): { roots: Organisation[] | null; flat: FlatOrg[]; error: string | null; reload: () => Promise<void> } {
  const [roots, setRoots] = useState<Organisation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = async () => {
    try {
      const body = await api.get<{ roots: Organisation[] } | Organisation[]>("/api/organisations");
      setRoots(Array.isArray(body) ? body : body.roots);
      setError(null);
    } catch (e) {
      setRoots([]);
      setError(errorText(e));
    }
  };
  useEffect(() => void reload(), []);
  return { roots, flat: flatten(roots ?? []), error, reload };
}

export const childKind: Record<string, Organisation["kind"] | undefined> = { province: "city", city: "county", county: "school" };

/** Every classroom visible in the tree, labelled with its school. */
export function allClassrooms(flat: FlatOrg[]): { id: string; label: string; schoolId: string }[] {
  return flat.flatMap((f) => (f.org.classrooms ?? []).map((c) => ({ id: c.id, label: `${f.org.name} · ${c.name}`, schoolId: f.org.id })));
}
