import type { DataFrame } from '@grafana/data';
import { VizPanel } from '@grafana/scenes';
import { PANEL_IDS } from '../constants';
import { selectors } from '../selectors';
import { categoricalFeature } from './categoryFeature';
import { ChosenPanel, chosenPanelRenderer, type ChosenPanelState } from './ChosenPanel';
import { mlsightQueries } from './queries';

interface CategoryDriftState extends ChosenPanelState {
  datasourceUid: string;
  model: string;
  /** The drill-down's feature; the model page draws its first categorical feature. */
  feature?: string;
}

/**
 * Category drift of one categorical feature (the drift heatmap in category mode). Which feature is categorical is in
 * the feature_drift answer this object's data holds (its `kind` column); the category_drift query refuses numeric
 * features, so the panel is only made for a categorical one.
 */
export class CategoryDrift extends ChosenPanel<CategoryDriftState> {
  static Component = chosenPanelRenderer(selectors.categoryDrift);

  protected choose(featureDrift: DataFrame | undefined): void {
    const { model, feature, datasourceUid } = this.state;
    const chosen = categoricalFeature(featureDrift, feature);
    if (chosen === undefined) {
      this.setNotice(
        feature
          ? `${feature} is not categorical: its drift is the trend above.`
          : `${model} has no categorical feature.`
      );
      return;
    }
    if (this.state.panel?.state.title === `Category drift: ${chosen}`) return;
    this.setPanel(
      new VizPanel({
        title: `Category drift: ${chosen}`,
        pluginId: PANEL_IDS.driftHeatmap,
        options: { mode: 'category' },
        $data: mlsightQueries(datasourceUid, [{ queryType: 'category_drift', model, feature: chosen }]),
      })
    );
  }
}
