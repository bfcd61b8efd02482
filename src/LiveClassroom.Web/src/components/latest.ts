import { useRef } from "preact/hooks";

/**
 * Answers may come back out of order: a page that loads on mount and again when a filter changes can get the first
 * (slower) answer after the second one. `useLatest` hands out one ticket per request; only the newest ticket's answer
 * may update the page, so the list always shows what the filter now says.
 *
 *   const latest = useLatest();
 *   async function load() { const mine = latest(); const r = await api.get(...); if (mine()) setItems(r); }
 */
export function useLatest(): () => () => boolean {
  const seq = useRef(0);
  return () => {
    const ticket = ++seq.current;
    return () => ticket === seq.current;
  };
}
