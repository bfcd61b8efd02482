/** An error or status line announced to screen readers; renders nothing when empty. */
export function Notice({ text, kind = "error", testId }: { text: string | null | undefined; kind?: "error" | "info"; testId?: string }) {
  if (!text) return null;
  return (
    <p class={`notice ${kind}`} role={kind === "error" ? "alert" : "status"} data-testid={testId ?? `notice-${kind}`}>
      {text}
    </p>
  );
}
