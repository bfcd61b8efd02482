import type { ComponentChildren } from "preact";

let next = 0;
/** A stable id per component instance for label/input/error wiring. */
export function fieldId(prefix: string): string {
  return `${prefix}-${++next}`;
}

/**
 * A labelled form control with its error shown next to it (and announced: aria-describedby +
 * aria-invalid). The child control must carry the same id.
 */
export function Field(props: { id: string; label: string; error?: string | null; children: ComponentChildren; hint?: string }) {
  return (
    <div class={`field${props.error ? " invalid" : ""}`}>
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.hint && !props.error && <p class="hint">{props.hint}</p>}
      {props.error && (
        <p class="field-error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Props to spread on an input inside a Field. */
export function inputProps(id: string, error?: string | null) {
  return {
    id,
    "aria-invalid": error ? ("true" as const) : undefined,
    "aria-describedby": error ? `${id}-error` : undefined,
  };
}
