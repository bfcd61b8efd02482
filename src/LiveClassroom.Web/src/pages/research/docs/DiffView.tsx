import { t } from "../../../i18n";
import type { DiffLine, PlanDiff } from "../../../api/researchDocs";

/** Unchanged lines kept around each change; longer unchanged runs fold into one line. */
const context = 2;

type Row = { kind: "line"; line: DiffLine } | { kind: "fold"; count: number };

function rows(lines: DiffLine[]): Row[] {
  const keep = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.op === "equal") return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const out: Row[] = [];
  let folded = 0;
  lines.forEach((line, i) => {
    if (keep[i]) {
      if (folded) out.push({ kind: "fold", count: folded });
      folded = 0;
      out.push({ kind: "line", line });
    } else folded++;
  });
  if (folded) out.push({ kind: "fold", count: folded });
  return out;
}

/** A line diff between two versions: insertions green (<ins>), deletions red (<del>), unchanged context grey. */
export function DiffView({ diff, testId = "plan-diff" }: { diff: PlanDiff; testId?: string }) {
  return (
    <figure class="rdocs-diff" data-testid={testId} data-from={diff.from} data-to={diff.to}>
      <figcaption>
        {t("researchDocs.diff.caption", { from: diff.from, to: diff.to, author: diff.toAuthor })}{" "}
        <span class="rdocs-diff-ins">+{diff.inserted}</span> <span class="rdocs-diff-del">−{diff.deleted}</span>
      </figcaption>
      {diff.inserted + diff.deleted === 0 ? (
        <p class="muted">{t("researchDocs.diff.same")}</p>
      ) : (
        <div class="rdocs-diff-lines" role="list">
          {rows(diff.lines).map((r, i) =>
            r.kind === "fold" ? (
              <div key={i} class="fold" role="listitem">{t("researchDocs.diff.folded", { count: r.count })}</div>
            ) : (
              <DiffRow key={i} line={r.line} />
            ),
          )}
        </div>
      )}
    </figure>
  );
}

function DiffRow({ line }: { line: DiffLine }) {
  const no = <span class="no" aria-hidden="true">{line.op === "delete" ? line.oldLine : line.newLine}</span>;
  if (line.op === "insert")
    return (
      <div class="ins" role="listitem" data-op="insert">
        {no}
        <ins><span class="sr-only">{t("researchDocs.diff.inserted")} </span>{line.text || " "}</ins>
      </div>
    );
  if (line.op === "delete")
    return (
      <div class="del" role="listitem" data-op="delete">
        {no}
        <del><span class="sr-only">{t("researchDocs.diff.deleted")} </span>{line.text || " "}</del>
      </div>
    );
  return (
    <div class="eq" role="listitem" data-op="equal">
      {no}
      <span>{line.text || " "}</span>
    </div>
  );
}
