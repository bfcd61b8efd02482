// placeholder: replaced by the rdocs branch
export function WatchPage(_props: { sessionId: string; lessonId?: string }) {
  return null;
}
