import { useState } from "preact/hooks";
import { t } from "../../i18n";
import { api } from "../../api/session";
import { ApiError, errorText } from "../../api/client";
import type { ImportedTeacher, ImportPreview, ImportProblem } from "../../api/platform";
import { Field, inputProps } from "../../components/Field";
import { Notice } from "../../components/Notice";
import { useOrgTree } from "../admin/orgTree";
import { roleLabel } from "../admin/roles";
import { fieldLabel, problemLabel, stageLabel } from "./labels";

/** 批量导入教师: a dry run lists every row's problem; the import creates all accounts or none. */
export function TeacherImportPage() {
  const tree = useOrgTree();
  const schools = tree.flat.filter((f) => f.org.kind === "school" && f.org.canAdminister);
  const [schoolId, setSchoolId] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [problems, setProblems] = useState<ImportProblem[]>([]);
  const [created, setCreated] = useState<ImportedTeacher[] | null>(null);
  const [errors, setErrors] = useState<Record<string, string | null>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const school = schoolId || schools[0]?.org.id || "";

  async function send(dryRun: boolean) {
    const local = { file: file ? null : t("platform.import.chooseFile"), school: school ? null : t("validation.required") };
    setErrors(local);
    setFailure(null);
    if (local.file || local.school) return;
    setBusy(true);
    try {
      const path = `/api/organisations/${school}/teachers/import?dryRun=${dryRun}`;
      if (dryRun) {
        const result = await api.postBytes<ImportPreview>(path, file!, "text/csv");
        setPreview(result);
        setProblems(result.problems);
        setCreated(null);
      } else {
        const result = await api.postBytes<{ created: ImportedTeacher[] }>(path, file!, "text/csv");
        setCreated(result.created);
        setPreview(null);
        setProblems([]);
      }
    } catch (e) {
      if (e instanceof ApiError && e.body.problems) setProblems(e.body.problems);
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <form class="card" noValidate onSubmit={(e) => (e.preventDefault(), void send(true))} data-testid="import-form">
        <Field id="import-school" label={t("platform.import.school")} error={errors.school}>
          <select {...inputProps("import-school", errors.school)} value={school}
            onChange={(e) => (setSchoolId(e.currentTarget.value), setPreview(null), setProblems([]))}>
            {schools.map((f) => (
              <option key={f.org.id} value={f.org.id}>
                {f.path}
              </option>
            ))}
          </select>
        </Field>
        <Field id="import-file" label={t("platform.import.file")} error={errors.file} hint={t("platform.import.hint")}>
          <input {...inputProps("import-file", errors.file)} type="file" accept=".csv,text/csv"
            onChange={(e) => (setFile(e.currentTarget.files?.[0] ?? null), setPreview(null), setProblems([]), setCreated(null))} />
        </Field>
        <div class="actions">
          <button type="submit" class="secondary" disabled={busy}>
            {t("platform.import.dryRun")}
          </button>
          {preview?.valid && (
            <button type="button" class="primary" disabled={busy} onClick={() => void send(false)}>
              {t("platform.import.run", { count: preview.rows.length })}
            </button>
          )}
        </div>
      </form>
      <Notice text={failure} />
      {preview?.valid && <Notice kind="info" testId="import-valid" text={t("platform.import.valid", { count: preview.rows.length })} />}
      {problems.length > 0 && (
        <>
          <Notice text={t("platform.import.invalid", { count: problems.length })} testId="import-invalid" />
          <table class="data" data-testid="import-problems">
            <thead>
              <tr>
                <th scope="col">{t("platform.import.line")}</th>
                <th scope="col">{t("platform.import.field")}</th>
                <th scope="col">{t("platform.import.problem")}</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i}>
                  <td>{p.line || "—"}</td>
                  <td>{fieldLabel(p.field)}</td>
                  <td>{problemLabel(p.code)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {preview?.valid && (
        <table class="data" data-testid="import-preview">
          <tbody>
            {preview.rows.map((r) => (
              <tr key={r.line}>
                <td>{r.line}</td>
                <th scope="row">{r.displayName}</th>
                <td>{r.username}</td>
                <td>{r.subject}</td>
                <td>{stageLabel(r.stage)}</td>
                <td>{roleLabel(r.role)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {created && (
        <>
          <Notice kind="info" testId="import-done" text={t("platform.import.done", { count: created.length })} />
          <table class="data" data-testid="import-created">
            <thead>
              <tr>
                <th scope="col">{t("people.displayName")}</th>
                <th scope="col">{t("people.username")}</th>
                <th scope="col">{t("people.role")}</th>
                <th scope="col">{t("platform.import.oneTimePassword")}</th>
              </tr>
            </thead>
            <tbody>
              {created.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.displayName}</th>
                  <td>{c.username}</td>
                  <td>{roleLabel(c.role)}</td>
                  <td>
                    <code>{c.oneTimePassword}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
