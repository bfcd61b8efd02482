// placeholder: replaced by the rdocs branch
export function ComparePage(_props: { sessionId: string; lessonId?: string }) {
  return null;
}
