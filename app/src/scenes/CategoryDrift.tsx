import { LoadingState } from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  VizPanel,
  type SceneComponentProps,
  type SceneObjectState,
} from '@grafana/scenes';
import { Alert } from '@grafana/ui';
import React from 'react';
import { PANEL_IDS } from '../constants';
import { selectors } from '../selectors';
import { categoricalFeature } from './categoryFeature';
import { mlsightQueries } from './queries';

interface CategoryDriftState extends SceneObjectState {
  datasourceUid: string;
  model: string;
  /** The drill-down's feature; the model page draws its first categorical feature. */
  feature?: string;
  panel?: VizPanel;
  /** Why there is no panel (no categorical feature, the feature is numeric). */
  notice?: string;
}

/**
 * Category drift of one categorical feature (the drift heatmap in category mode). Which feature is categorical is in
 * the feature_drift answer this object's data holds (its `kind` column); the category_drift query refuses numeric
 * features, so the panel is only made for a categorical one.
 */
export class CategoryDrift extends SceneObjectBase<CategoryDriftState> {
  static Component = CategoryDriftRenderer;

  constructor(state: CategoryDriftState) {
    super(state);
    this.addActivationHandler(() => {
      const data = sceneGraph.getData(this);
      const onData = () => this.choose(data.state.data?.state, data.state.data?.series[0]);
      onData();
      const sub = data.subscribeToState(onData);
      return () => sub.unsubscribe();
    });
  }

  private choose(state: LoadingState | undefined, featureDrift: Parameters<typeof categoricalFeature>[0]): void {
    if (state !== LoadingState.Done) return;
    const { model, feature, datasourceUid } = this.state;
    const chosen = categoricalFeature(featureDrift, feature);
    if (chosen === undefined) {
      const notice = feature
        ? `${feature} is not categorical: its drift is the trend above.`
        : `${model} has no categorical feature.`;
      if (this.state.notice !== notice) this.setState({ panel: undefined, notice });
      return;
    }
    if (this.state.panel?.state.title === `Category drift: ${chosen}`) return;
    this.setState({
      notice: undefined,
      panel: new VizPanel({
        title: `Category drift: ${chosen}`,
        pluginId: PANEL_IDS.driftHeatmap,
        options: { mode: 'category' },
        $data: mlsightQueries(datasourceUid, [{ queryType: 'category_drift', model, feature: chosen }]),
      }),
    });
  }
}

function CategoryDriftRenderer({ model }: SceneComponentProps<CategoryDrift>) {
  const { panel, notice } = model.useState();
  return (
    <div data-testid={selectors.categoryDrift} style={{ height: '100%', width: '100%' }}>
      {panel && <panel.Component model={panel} />}
      {!panel && notice && <Alert severity="info" title={notice} />}
    </div>
  );
}
