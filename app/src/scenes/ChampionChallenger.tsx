import { LoadingState, type DataFrame } from '@grafana/data';
import {
  PanelBuilders,
  sceneGraph,
  SceneObjectBase,
  type SceneComponentProps,
  type SceneObjectState,
  type VizPanel,
} from '@grafana/scenes';
import { Alert } from '@grafana/ui';
import { CHALLENGER_ALIAS, CHAMPION_ALIAS } from '@mlsight/contract';
import React from 'react';
import { aliasVersion, versionChoices } from '../promote/promoteRequest';
import { selectors } from '../selectors';
import { mlsightQueries } from './queries';

interface ChampionChallengerState extends SceneObjectState {
  datasourceUid: string;
  model: string;
  panel?: VizPanel;
  /** Why there is no comparison (an alias names no version). */
  notice?: string;
}

/**
 * Champion vs challenger for a model whose registry has both aliases. The proxy answers `champion_challenger` with a
 * 404 naming the alias when one is missing — right for a dashboard that asks for a given alias, but on a model page
 * (most models have no challenger most of the time) the app says what to do instead of showing an error. Which
 * aliases exist is in the model_versions answer this object's data holds.
 */
export class ChampionChallenger extends SceneObjectBase<ChampionChallengerState> {
  static Component = ChampionChallengerRenderer;

  constructor(state: ChampionChallengerState) {
    super(state);
    this.addActivationHandler(() => {
      const data = sceneGraph.getData(this);
      const onData = () => this.choose(data.state.data?.state, data.state.data?.series[0]);
      onData();
      const sub = data.subscribeToState(onData);
      return () => sub.unsubscribe();
    });
  }

  private choose(state: LoadingState | undefined, versions: DataFrame | undefined): void {
    if (state !== LoadingState.Done) return;
    const { model, datasourceUid } = this.state;
    const choices = versionChoices(versions);
    const missing = [CHAMPION_ALIAS, CHALLENGER_ALIAS].find((alias) => aliasVersion(choices, alias) === null);
    if (missing !== undefined) {
      const notice = `No version of ${model} has the alias "${missing}": set it (Promote / roll back) to compare a challenger with the champion.`;
      if (this.state.notice !== notice) this.setState({ panel: undefined, notice });
      return;
    }
    if (this.state.panel) return;
    this.setState({
      notice: undefined,
      panel: PanelBuilders.table()
        .setTitle('Champion vs challenger')
        .setData(
          mlsightQueries(datasourceUid, [
            { queryType: 'champion_challenger', model, champion: CHAMPION_ALIAS, challenger: CHALLENGER_ALIAS },
          ])
        )
        .build(),
    });
  }
}

function ChampionChallengerRenderer({ model }: SceneComponentProps<ChampionChallenger>) {
  const { panel, notice } = model.useState();
  return (
    <div data-testid={selectors.championChallenger} style={{ height: '100%', width: '100%' }}>
      {panel && <panel.Component model={panel} />}
      {!panel && notice && <Alert severity="info" title={notice} />}
    </div>
  );
}
