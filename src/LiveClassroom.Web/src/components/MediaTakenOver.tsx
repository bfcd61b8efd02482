import { t } from "../i18n";

/**
 * Shown while another tab or device of the same account holds this room's media: says so, and offers to take it
 * back. Taking it back is the user's choice, never automatic, so two tabs do not take the media from each other.
 */
export function MediaTakenOver({ live }: { live: { mediaTakenOver: boolean; takeMediaBack: () => Promise<void> } }) {
  if (!live.mediaTakenOver) return null;
  return (
    <div class="notice info taken-over" role="status" data-testid="media-taken-over">
      <p>{t("media.takenOver")}</p>
      <button type="button" class="primary" data-testid="media-take-back" onClick={() => void live.takeMediaBack()}>
        {t("media.takeBack")}
      </button>
    </div>
  );
}
