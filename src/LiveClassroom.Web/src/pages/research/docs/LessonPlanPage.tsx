// placeholder: replaced by the rdocs branch
export function LessonPlanPage(_props: { planId: string }) {
  return null;
}
