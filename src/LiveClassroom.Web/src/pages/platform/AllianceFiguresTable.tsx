import { t, type MessageKey } from "../../i18n";
import { figureKeys, type AllianceFigures } from "../../api/alliances";

/** A year's activity figures, one row each, as the platform computed them. */
export function AllianceFiguresTable({ figures, testId }: { figures: AllianceFigures; testId: string }) {
  return (
    <table class="data" data-testid={testId}>
      <caption>{t("alliance.figuresOf", { year: figures.year })}</caption>
      <tbody>
        {figureKeys.map((k) => (
          <tr key={k} data-figure={k}>
            <th scope="row">{t(`alliance.figure.${k}` as MessageKey)}</th>
            <td>{figures[k]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
