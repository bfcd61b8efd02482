// placeholder: replaced by the rdocs branch
export function ReportPage(_props: { sessionId: string; lessonId?: string }) {
  return null;
}
