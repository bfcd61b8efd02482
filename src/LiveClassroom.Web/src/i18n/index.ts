import { zhCN, type MessageKey } from "./zh-CN";
import { en } from "./en";

export type Lang = "zh-CN" | "en";
export type { MessageKey };

const catalogues: Record<Lang, Record<MessageKey, string>> = { "zh-CN": zhCN, en };
const storageKey = "lc.lang";
const listeners = new Set<() => void>();

// Chinese is the default for every user; English only when chosen (remembered per browser).
let current: Lang = localStorage.getItem(storageKey) === "en" ? "en" : "zh-CN";
document.documentElement.lang = current;

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  current = next;
  localStorage.setItem(storageKey, next);
  document.documentElement.lang = next;
  listeners.forEach((l) => l());
}

export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The message for key in the current language; {name} placeholders are filled from params. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  let text = catalogues[current][key];
  if (params) {
    for (const [k, v] of Object.entries(params)) text = text.split(`{${k}}`).join(String(v));
  }
  return text;
}

/** Picks the server's Chinese or English text for the current language. */
export function pick(zh: string | undefined | null, en: string | undefined | null): string {
  return (current === "zh-CN" ? zh || en : en || zh) ?? "";
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(current, { hour: "2-digit", minute: "2-digit" });
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString(current, { dateStyle: "short", timeStyle: "short" });
}
