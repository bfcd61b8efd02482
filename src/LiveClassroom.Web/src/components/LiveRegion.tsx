/** Class events announced politely to screen readers and shown as a short log. */
export function LiveRegion({ items, label, class: cls }: { items: { id: number; text: string }[]; label: string; class?: string }) {
  return (
    <section class={`event-log ${cls ?? ""}`} aria-label={label}>
      <ul aria-live="polite" data-testid="event-log">
        {items.map((i) => (
          <li key={i.id}>{i.text}</li>
        ))}
      </ul>
    </section>
  );
}
