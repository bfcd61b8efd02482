import { useEffect } from "preact/hooks";
import { t, formatDateTime } from "../../../i18n";
import { api, session } from "../../../api/session";
import { getPlan, getPlanComments, type PlanComment, type PlanView } from "../../../api/researchDocs";
import { DocsLayout, Fact, LoadState, stageLabel, useLoad } from "./DocsLayout";
import { PlanEditor } from "./PlanEditor";
import { PlanVersions } from "./PlanVersions";
import { PlanParagraphs } from "./PlanParagraphs";
import { PlanLinks } from "./PlanLinks";
import { rememberPlan } from "./recentPlans";

async function loadPlan(planId: string): Promise<{ view: PlanView; comments: PlanComment[] }> {
  const [view, comments] = await Promise.all([getPlan(api, planId), getPlanComments(api, planId)]);
  return { view, comments };
}

/** 集体备课: the plan's four fixes, the shared text with its versions, diffs, paragraph comments and links. */
export function LessonPlanPage({ planId }: { planId: string }) {
  const { data, error, reload } = useLoad(() => loadPlan(planId), [planId]);
  return (
    <DocsLayout wide>
      {!data ? <LoadState error={error} /> : <Plan view={data.view} comments={data.comments} reload={reload} />}
    </DocsLayout>
  );
}

function Plan({ view, comments, reload }: { view: PlanView; comments: PlanComment[]; reload: () => void }) {
  const { plan, versions, latest } = view;
  useEffect(() => rememberPlan(plan), [plan.id]);
  return (
    <article aria-labelledby="plan-title" data-testid="lesson-plan">
      <h1 id="plan-title">{t("researchDocs.plan.title", { chapter: plan.chapter })}</h1>
      <section class="panel" aria-label={t("researchDocs.plan.fixes")}>
        <dl class="rdocs-facts">
          <Fact label={t("researchDocs.plan.mainPreparer")} testId="plan-main-preparer">{personName(plan.mainPreparerId, view)}</Fact>
          <Fact label={t("researchDocs.plan.content")}>{plan.chapter}</Fact>
          <Fact label={t("researchDocs.plan.time")}>{plan.prepareAt ? formatDateTime(plan.prepareAt) : "—"}</Fact>
          <Fact label={t("researchDocs.plan.place")}>{plan.place || "—"}</Fact>
          <Fact label={t("researchDocs.subject")}>{plan.subject}</Fact>
          <Fact label={t("researchDocs.stage")}>
            {stageLabel(plan.stage)}
            {plan.grade ? ` · ${plan.grade}` : ""}
          </Fact>
          <Fact label={t("researchDocs.plan.members")}>{t("researchDocs.plan.memberCount", { count: plan.memberIds.length })}</Fact>
        </dl>
      </section>
      <div class="rdocs-plan-grid">
        <PlanEditor key={plan.id} planId={plan.id} latest={latest} onSaved={reload} />
        {/* Keyed by the newest version so the "from/to" choice starts at the latest change after every save. */}
        <PlanVersions key={latest?.version ?? 0} planId={plan.id} versions={versions} />
      </div>
      {latest && <PlanParagraphs planId={plan.id} latest={latest} comments={comments} onChanged={reload} />}
      <PlanLinks view={view} onChanged={reload} />
    </article>
  );
}

/** The API gives person ids only; a name is known when the person wrote a version or is the viewer. */
export function personName(id: string, view: PlanView): string {
  const me = session.person();
  if (me?.id === id) return me.displayName;
  return view.versions.find((v) => v.authorId === id)?.authorName ?? t("researchDocs.plan.unknownPerson");
}
