import { useRef, useState } from "preact/hooks";
import { ActionKey } from "../api/actionKey";
import { formatTime, t } from "../i18n";
import type { ChatMessage } from "../hub/types";
import type { LiveClass } from "../live/LiveClass";
import { chatAuthor } from "../live/classrooms";
import { Notice } from "./Notice";

/**
 * Chat and questions. The lead teacher pins or dismisses; pinned messages stay on top and dismissed
 * ones leave the list. A failed send keeps the text so nothing typed is lost.
 */
export function ChatPanel({ live, canModerate, large }: { live: LiveClass; canModerate: boolean; large?: boolean }) {
  const [text, setText] = useState("");
  const [isQuestion, setIsQuestion] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // One key per message typed: a resend of the same text after a failure (lost answer, failover) is stored once.
  const actionKey = useRef(new ActionKey()).current;
  const s = live.snapshot;
  const visible = (s?.chat ?? []).filter((m) => !m.dismissed);
  const pinned = visible.filter((m) => m.pinned);
  const rest = visible.filter((m) => !pinned.includes(m)).slice(-50);
  const ended = s?.state === "Ended";

  async function send(e: Event) {
    e.preventDefault();
    const body = text.trim();
    if (!body) {
      setError(t("chat.empty"));
      return;
    }
    if (body.length > 500) {
      setError(t("chat.tooLong"));
      return;
    }
    const err = await live.act("SendChatOnce", body, isQuestion, actionKey.for([body, isQuestion]));
    setError(err);
    if (!err) {
      actionKey.done();
      setText("");
      setIsQuestion(false);
    }
  }

  const row = (m: ChatMessage, isPinned: boolean) => (
    <li key={m.messageId} class={`chat-msg${m.isQuestion ? " question" : ""}${isPinned ? " pinned" : ""}`} data-testid="chat-message">
      <div class="chat-meta">
        {isPinned && <span class="badge pin">{t("chat.pinned")}</span>}
        {m.isQuestion && <span class="badge q">{t("chat.question")}</span>}
        <strong data-testid="chat-author">{chatAuthor(s, m)}</strong> <time>{formatTime(m.at)}</time>
      </div>
      <p class="chat-text">{m.text}</p>
      {canModerate && (
        <div class="chat-actions">
          <button type="button" class="small" onClick={async () => setError(await live.act(isPinned ? "UnpinMessage" : "PinMessage", m.messageId))}>
            {isPinned ? t("chat.unpin") : t("chat.pin")}
          </button>
          <button type="button" class="small secondary" onClick={async () => setError(await live.act("DismissMessage", m.messageId))}>
            {t("chat.dismiss")}
          </button>
        </div>
      )}
    </li>
  );

  return (
    <section class={`panel chat${large ? " large" : ""}`} aria-labelledby="chat-title">
      <h2 id="chat-title">{t("chat.title")}</h2>
      <ul class="chat-list" aria-live="polite" aria-relevant="additions">
        {pinned.map((m) => row(m, true))}
        {rest.map((m) => row(m, false))}
        {visible.length === 0 && <li class="muted">{t("chat.none")}</li>}
      </ul>
      <form class="chat-form" onSubmit={send}>
        <label for="chat-input" class="sr-only">
          {t("chat.input")}
        </label>
        <input id="chat-input" value={text} maxLength={500} disabled={ended} placeholder={t("chat.placeholder")}
          aria-invalid={error ? "true" : undefined} onInput={(e) => setText(e.currentTarget.value)} />
        <label class="check">
          <input type="checkbox" checked={isQuestion} disabled={ended} onChange={(e) => setIsQuestion(e.currentTarget.checked)} />
          {t("chat.asQuestion")}
        </label>
        <button type="submit" class="primary" disabled={ended}>
          {t("chat.send")}
        </button>
      </form>
      <Notice text={error} testId="chat-error" />
    </section>
  );
}
