/**
 * Three-way line merge for lesson plans: the version both editors started from (base), the version saved in
 * between (theirs) and the text in this editor (mine). Lines that only one side changed take that side; lines both
 * changed the same way take it once; where both inserted at the same place (typically: both appended) both
 * insertions are kept, theirs first; where both changed the same lines differently, both are kept between markers
 * the user resolves before saving.
 */
export interface MergeResult {
  text: string;
  conflicts: number;
}

export interface ConflictLabels {
  theirs: string;
  mine: string;
  end: string;
}

/** Null when the texts are too long to compare in the browser (the user then chooses one side). */
export function merge3(base: string, theirs: string, mine: string, labels: ConflictLabels): MergeResult | null {
  const b = base.split("\n");
  const t = theirs.split("\n");
  const m = mine.split("\n");
  if ((b.length + 1) * (Math.max(t.length, m.length) + 1) > maxCells) return null;
  const inT = matchMap(b, t);
  const inM = matchMap(b, m);
  const out: string[] = [];
  let conflicts = 0;
  let bi = 0;
  let ti = 0;
  let mi = 0;
  const resolve = (bEnd: number, tEnd: number, mEnd: number) => {
    const cb = b.slice(bi, bEnd);
    const ct = t.slice(ti, tEnd);
    const cm = m.slice(mi, mEnd);
    if (same(cm, cb)) out.push(...ct);
    else if (same(ct, cb) || same(ct, cm)) out.push(...cm);
    else if (cb.length === 0) out.push(...ct, ...cm);
    else {
      conflicts++;
      out.push(labels.theirs, ...ct, labels.mine, ...cm, labels.end);
    }
  };
  for (let k = 0; k < b.length; k++) {
    const tk = inT[k];
    const mk = inM[k];
    // A base line both sides kept, at or after where each side now stands, anchors the chunk before it.
    if (tk === undefined || mk === undefined || tk < ti || mk < mi) continue;
    resolve(k, tk, mk);
    out.push(b[k]);
    bi = k + 1;
    ti = tk + 1;
    mi = mk + 1;
  }
  resolve(b.length, t.length, m.length);
  return { text: out.join("\n"), conflicts };
}

const maxCells = 4_000_000;

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((line, i) => line === b[i]);
}

/** base line index → index of the same line in `other`, along a longest common subsequence. */
function matchMap(base: string[], other: string[]): (number | undefined)[] {
  const n = base.length;
  const k = other.length;
  // Suffix LCS lengths, one row per base line; plans are at most a few thousand lines.
  const rows: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(k + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = k - 1; j >= 0; j--) {
      rows[i][j] = base[i] === other[j] ? rows[i + 1][j + 1] + 1 : Math.max(rows[i + 1][j], rows[i][j + 1]);
    }
  }
  const map: (number | undefined)[] = new Array(n);
  let i = 0;
  let j = 0;
  while (i < n && j < k) {
    if (base[i] === other[j]) {
      map[i] = j;
      i++;
      j++;
    } else if (rows[i + 1][j] >= rows[i][j + 1]) i++;
    else j++;
  }
  return map;
}
