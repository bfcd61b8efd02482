import { useState } from "preact/hooks";
import { t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import type { Organisation } from "../../api/types";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { fieldErrors, required } from "../../components/validation";
import { childKind, useOrgTree } from "./orgTree";

const kindKey: Record<string, MessageKey> = { province: "org.province", city: "org.city", county: "org.county", school: "org.school" };

export function OrganisationsPage() {
  const tree = useOrgTree();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = tree.flat.find((f) => f.org.id === selectedId)?.org ?? tree.flat.find((f) => !f.org.ancestorOnly)?.org ?? null;

  return (
    <div class="two-col">
      <section class="panel" aria-labelledby="org-tree-title">
        <h2 id="org-tree-title">{t("org.tree")}</h2>
        <Notice text={tree.error} />
        <ul class="tree" role="list" data-testid="org-tree">
          {tree.flat.map((f) => (
            <li key={f.org.id} style={{ paddingInlineStart: `${f.depth * 1.25}rem` }}>
              <button type="button" class={`tree-item${selected?.id === f.org.id ? " selected" : ""}`} aria-current={selected?.id === f.org.id ? "true" : undefined}
                onClick={() => setSelectedId(f.org.id)}>
                <span class="kind">{t(kindKey[f.org.kind])}</span> {f.org.name}
                {f.org.isRural && <span class="badge">{t("org.rural")}</span>}
              </button>
            </li>
          ))}
        </ul>
      </section>
      {selected && <OrgDetail key={selected.id} org={selected} reload={tree.reload} />}
    </div>
  );
}

function OrgDetail({ org, reload }: { org: Organisation & { canAdminister?: boolean; ancestorOnly?: boolean }; reload: () => Promise<void> }) {
  const [name, setName] = useState(org.name);
  const [renameErr, setRenameErr] = useState<Record<string, string | null>>({});
  const [childName, setChildName] = useState("");
  const [childRural, setChildRural] = useState(false);
  const [childErr, setChildErr] = useState<Record<string, string | null>>({});
  const [roomName, setRoomName] = useState("");
  const [roomErr, setRoomErr] = useState<Record<string, string | null>>({});
  const [status, setStatus] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const kind = childKind[org.kind];

  async function run(action: () => Promise<unknown>, setErr: (e: Record<string, string>) => void, done: string) {
    setFailure(null);
    setStatus(null);
    try {
      await action();
      setStatus(done);
      await reload();
      return true;
    } catch (e) {
      const fields = fieldErrors(e);
      setErr(fields);
      if (Object.keys(fields).length === 0) setFailure(errorText(e));
      return false;
    }
  }

  return (
    <section class="panel" aria-labelledby="org-detail-title">
      <h2 id="org-detail-title">
        {org.name} <span class="muted">({t(kindKey[org.kind])})</span>
      </h2>
      <Notice text={status} kind="info" />
      <Notice text={failure} />
      <form class="row-form" noValidate onSubmit={async (e) => {
        e.preventDefault();
        const err = required(name);
        setRenameErr({ name: err });
        if (!err) await run(() => api.patch(`/api/organisations/${org.id}`, { name: name.trim() }), setRenameErr, t("org.renamed"));
      }}>
        <Field id="org-rename" label={t("org.name")} error={renameErr.name}>
          <input {...inputProps("org-rename", renameErr.name)} value={name} maxLength={200} onInput={(e) => setName(e.currentTarget.value)} />
        </Field>
        <button type="submit" class="primary">{t("org.rename")}</button>
      </form>

      {kind && (
        <form class="row-form" noValidate onSubmit={async (e) => {
          e.preventDefault();
          const err = required(childName);
          setChildErr({ name: err });
          if (err) return;
          const ok = await run(() => api.post("/api/organisations", { parentId: org.id, kind, name: childName.trim(), ...(kind === "school" ? { isRural: childRural } : {}) }),
            setChildErr, t("org.created"));
          if (ok) setChildName("");
        }}>
          <h3>{t("org.addChild", { kind: t(kindKey[kind]) })}</h3>
          <Field id="org-child-name" label={t("org.name")} error={childErr.name ?? childErr.parentId ?? childErr.kind}>
            <input {...inputProps("org-child-name", childErr.name)} value={childName} maxLength={200} onInput={(e) => setChildName(e.currentTarget.value)} />
          </Field>
          {kind === "school" && (
            <label class="check">
              <input type="checkbox" checked={childRural} onChange={(e) => setChildRural(e.currentTarget.checked)} />
              {t("org.isRural")}
            </label>
          )}
          <button type="submit" class="primary">{t("common.create")}</button>
        </form>
      )}

      {org.kind === "school" && (
        <>
          <h3>{t("org.classrooms")}</h3>
          <ul class="plain" data-testid="classroom-list">
            {(org.classrooms ?? []).map((c) => (
              <li key={c.id}>{c.name}</li>
            ))}
            {(org.classrooms ?? []).length === 0 && <li class="muted">{t("org.noClassrooms")}</li>}
          </ul>
          <form class="row-form" noValidate onSubmit={async (e) => {
            e.preventDefault();
            const err = required(roomName);
            setRoomErr({ name: err });
            if (err) return;
            const ok = await run(() => api.post(`/api/organisations/${org.id}/classrooms`, { name: roomName.trim() }), setRoomErr, t("org.classroomCreated"));
            if (ok) setRoomName("");
          }}>
            <Field id="classroom-name" label={t("org.classroomName")} error={roomErr.name}>
              <input {...inputProps("classroom-name", roomErr.name)} value={roomName} maxLength={100} onInput={(e) => setRoomName(e.currentTarget.value)} />
            </Field>
            <button type="submit" class="primary">{t("org.addClassroom")}</button>
          </form>
        </>
      )}
    </section>
  );
}
