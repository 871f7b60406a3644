import type { DataFrame } from '@grafana/data';
import { PanelBuilders } from '@grafana/scenes';
import { CHALLENGER_ALIAS, CHAMPION_ALIAS } from '@mlsight/contract';
import { aliasVersion, versionChoices } from '../promote/promoteRequest';
import { selectors } from '../selectors';
import { ChosenPanel, chosenPanelRenderer, type ChosenPanelState } from './ChosenPanel';
import { mlsightQueries } from './queries';

interface ChampionChallengerState extends ChosenPanelState {
  datasourceUid: string;
  model: string;
}

/**
 * Champion vs challenger for a model whose registry has both aliases. The proxy answers `champion_challenger` with a
 * 404 naming the alias when one is missing — right for a dashboard that asks for a given alias, but on a model page
 * (most models have no challenger most of the time) the app says what to do instead of showing an error. Which
 * aliases exist is in the model_versions answer this object's data holds.
 */
export class ChampionChallenger extends ChosenPanel<ChampionChallengerState> {
  static Component = chosenPanelRenderer(selectors.championChallenger);

  protected choose(versions: DataFrame | undefined): void {
    const { model, datasourceUid } = this.state;
    const choices = versionChoices(versions);
    const missing = [CHAMPION_ALIAS, CHALLENGER_ALIAS].find((alias) => aliasVersion(choices, alias) === null);
    if (missing !== undefined) {
      this.setNotice(
        `No version of ${model} has the alias "${missing}": set it (Promote / roll back) to compare a challenger with the champion.`
      );
      return;
    }
    if (this.state.panel) return;
    this.setPanel(
      PanelBuilders.table()
        .setTitle('Champion vs challenger')
        .setData(
          mlsightQueries(datasourceUid, [
            { queryType: 'champion_challenger', model, champion: CHAMPION_ALIAS, challenger: CHALLENGER_ALIAS },
          ])
        )
        .build()
    );
  }
}
