import { lang, setLang, t } from "../i18n";

/** One button naming the other language, in that language, so either reader can find it. */
export function LangSwitch() {
  const other = lang() === "zh-CN" ? "en" : "zh-CN";
  return (
    <button
      type="button"
      class="secondary lang-switch"
      data-testid="lang-switch"
      lang={other}
      aria-label={t("lang.switchLabel")}
      onClick={() => setLang(other)}
    >
      {other === "en" ? "English" : "中文"}
    </button>
  );
}
