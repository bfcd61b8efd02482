import { useEffect, useState } from "preact/hooks";
import { t, type MessageKey } from "../../i18n";
import { api } from "../../api/session";
import { errorText } from "../../api/client";
import { schoolYear } from "../../api/ce";
import type { AllianceDecision, AllianceFigures, AllianceSummary } from "../../api/alliances";
import { linkClick } from "../../router";
import { Notice } from "../../components/Notice";
import { Field, inputProps } from "../../components/Field";
import { fieldErrors } from "../../components/validation";
import { useOrgTree } from "../admin/orgTree";
import { stageLabel } from "./labels";
import { AllianceFiguresTable } from "./AllianceFiguresTable";

const decisions: AllianceDecision[] = ["keep", "up", "down", "exit"];

/** 教研联盟 for the admin of a level: the certification queue and the yearly assessment with the platform's figures. */
export function AllianceAdminPage() {
  const [items, setItems] = useState<AllianceSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [reasons, setReasons] = useState<Record<string, string>>({});

  async function load() {
    try {
      setItems((await api.get<{ items: AllianceSummary[] }>("/api/alliances")).items);
    } catch (e) {
      setItems([]);
      setError(errorText(e));
    }
  }
  useEffect(() => void load(), []);

  async function decide(a: AllianceSummary, certify: boolean) {
    try {
      if (certify) await api.post(`/api/alliances/${a.id}/certify`);
      else await api.post(`/api/alliances/${a.id}/reject`, { reason: (reasons[a.id] ?? "").trim() });
      setError(null);
      setInfo(t(certify ? "alliance.certifiedInfo" : "alliance.rejectedInfo", { name: a.name }));
      await load();
    } catch (e) {
      setInfo(null);
      setError(errorText(e));
    }
  }

  const queue = (items ?? []).filter((a) => a.canCertify);
  const assessable = (items ?? []).filter((a) => a.canAssess);
  return (
    <>
      <Notice text={error} />
      <Notice kind="info" text={info} testId="alliance-admin-info" />
      <section aria-labelledby="al-queue-h">
        <h2 id="al-queue-h">{t("alliance.queue")}</h2>
        <table class="data" data-testid="alliance-queue">
          <thead>
            <tr>
              <th scope="col">{t("alliance.name")}</th>
              <th scope="col">{t("alliance.scope")}</th>
              <th scope="col">{t("alliance.chief")}</th>
              <th scope="col">{t("alliance.expertCount")}</th>
              <th scope="col">{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {queue.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  <a href={`/alliances/${a.id}`} onClick={linkClick}>
                    {a.name}
                  </a>
                </th>
                <td>
                  {a.subject} · {stageLabel(a.stage)}
                </td>
                <td>{a.chiefName}</td>
                <td>{a.experts}</td>
                <td class="actions">
                  <button type="button" class="small primary" onClick={() => void decide(a, true)}>
                    {t("alliance.certify")}
                  </button>{" "}
                  <input
                    aria-label={t("alliance.rejectReason")}
                    value={reasons[a.id] ?? ""}
                    onInput={(e) => setReasons({ ...reasons, [a.id]: e.currentTarget.value })}
                  />
                  <button type="button" class="small secondary" onClick={() => void decide(a, false)}>
                    {t("alliance.reject")}
                  </button>
                </td>
              </tr>
            ))}
            {queue.length === 0 && (
              <tr>
                <td colSpan={5} class="muted">
                  {t("alliance.queueEmpty")}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <AssessmentForm alliances={assessable} onDone={async (msg) => (setInfo(msg), setError(null), await load())} />
    </>
  );
}

function AssessmentForm({ alliances, onDone }: { alliances: AllianceSummary[]; onDone: (info: string) => Promise<void> }) {
  const [allianceId, setAllianceId] = useState("");
  const [year, setYear] = useState(schoolYear());
  const [figures, setFigures] = useState<AllianceFigures | null>(null);
  const [form, setForm] = useState({ score: "", comment: "", decision: "keep" as AllianceDecision, targetOrganisationId: "" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const { flat } = useOrgTree();
  const current = alliances.find((a) => a.id === allianceId);
  const children = flat.filter((f) => current && f.org.parentId === current.organisationId && f.org.kind !== "school");

  useEffect(() => {
    setFigures(null);
    if (!allianceId) return;
    api
      .get<AllianceFigures>(`/api/alliances/${allianceId}/figures?year=${year}`)
      .then(setFigures)
      .catch((e) => setFailure(errorText(e)));
  }, [allianceId, year]);

  async function submit(e: Event) {
    e.preventDefault();
    try {
      await api.post(`/api/alliances/${allianceId}/assessments`, {
        year,
        score: form.score.trim() === "" ? null : Number(form.score),
        comment: form.comment.trim(),
        decision: form.decision,
        targetOrganisationId: form.decision === "down" && form.targetOrganisationId ? form.targetOrganisationId : null,
      });
      setErrors({});
      setFailure(null);
      const name = current?.name ?? "";
      setAllianceId("");
      setForm({ score: "", comment: "", decision: "keep", targetOrganisationId: "" });
      await onDone(t("alliance.assessedInfo", { name }));
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(errorText(err));
    }
  }

  return (
    <section aria-labelledby="al-assess-form-h">
      <h2 id="al-assess-form-h">{t("alliance.assess")}</h2>
      <form onSubmit={submit} noValidate data-testid="alliance-assess-form">
        <Field id="al-a-alliance" label={t("alliance.name")}>
          <select id="al-a-alliance" value={allianceId} onChange={(e) => setAllianceId(e.currentTarget.value)}>
            <option value="">{t("common.choose")}</option>
            {alliances.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="al-a-year" label={t("alliance.year")} error={errors.year}>
          <select {...inputProps("al-a-year", errors.year)} value={year} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            {[schoolYear(), schoolYear() - 1].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </Field>
        {figures && <AllianceFiguresTable figures={figures} testId="assessment-figures" />}
        <Field id="al-a-score" label={t("alliance.score")} error={errors.score}>
          <input {...inputProps("al-a-score", errors.score)} type="number" min={0} max={100} value={form.score}
            onInput={(e) => setForm({ ...form, score: e.currentTarget.value })} />
        </Field>
        <Field id="al-a-comment" label={t("alliance.comment")} error={errors.comment}>
          <textarea {...inputProps("al-a-comment", errors.comment)} rows={3} value={form.comment}
            onInput={(e) => setForm({ ...form, comment: e.currentTarget.value })} />
        </Field>
        <Field id="al-a-decision" label={t("alliance.decision")} error={errors.decision}>
          <select {...inputProps("al-a-decision", errors.decision)} value={form.decision}
            onChange={(e) => setForm({ ...form, decision: e.currentTarget.value as AllianceDecision })}>
            {decisions.map((d) => (
              <option key={d} value={d}>
                {t(`alliance.decision.${d}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        {form.decision === "down" && (
          <Field id="al-a-target" label={t("alliance.target")} error={errors.targetOrganisationId}>
            <select {...inputProps("al-a-target", errors.targetOrganisationId)} value={form.targetOrganisationId}
              onChange={(e) => setForm({ ...form, targetOrganisationId: e.currentTarget.value })}>
              <option value="">{t("common.choose")}</option>
              {children.map((c) => (
                <option key={c.org.id} value={c.org.id}>
                  {c.org.name}
                </option>
              ))}
            </select>
          </Field>
        )}
        <Notice text={failure} />
        <button type="submit" class="primary" disabled={!allianceId}>
          {t("alliance.submitAssessment")}
        </button>
      </form>
    </section>
  );
}
