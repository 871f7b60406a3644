import { FieldConfigProperty, PanelPlugin } from '@grafana/data';
import { DriftHeatmapPanel } from './components/DriftHeatmapPanel';
import { DEFAULT_OPTIONS, migrateOptions, type HeatmapOptions } from './types';

export const plugin = new PanelPlugin<HeatmapOptions>(DriftHeatmapPanel)
  .setMigrationHandler((panel) => migrateOptions(panel.options))
  // Unit, decimals and display name format the tooltip's score and threshold. Colours, min/max and thresholds stay
  // off: a cell's colour is its distance from the drift method's own threshold, which the data carries per feature.
  .useFieldConfig({
    disableStandardOptions: [
      FieldConfigProperty.Min,
      FieldConfigProperty.Max,
      FieldConfigProperty.FieldMinMax,
      FieldConfigProperty.Thresholds,
      FieldConfigProperty.Color,
      FieldConfigProperty.Mappings,
      FieldConfigProperty.Filterable,
    ],
  })
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'mode',
        name: 'Mode',
        description: 'Category mode draws one categorical feature as categories × time (category_drift query)',
        defaultValue: DEFAULT_OPTIONS.mode,
        settings: {
          options: [
            { value: 'auto', label: 'Auto' },
            { value: 'drift', label: 'Features' },
            { value: 'category', label: 'Categories' },
          ],
        },
      })
      .addRadio({
        path: 'rowOrder',
        name: 'Row order',
        defaultValue: DEFAULT_OPTIONS.rowOrder,
        settings: {
          options: [
            { value: 'max', label: 'Worst drift' },
            { value: 'latest', label: 'Latest drift' },
            { value: 'name', label: 'Name' },
          ],
        },
      })
      .addTextInput({
        path: 'drillDownUrl',
        name: 'Drill-down link',
        description: '${feature}, ${method}, ${from} and ${to} (the bucket) and dashboard variables are filled in',
        defaultValue: DEFAULT_OPTIONS.drillDownUrl,
      })
      .addBooleanSwitch({ path: 'showLegend', name: 'Legend', defaultValue: DEFAULT_OPTIONS.showLegend })
      .addSliderInput({
        path: 'cellGap',
        name: 'Cell gap',
        defaultValue: DEFAULT_OPTIONS.cellGap,
        settings: { min: 0, max: 4, step: 1 },
      })
  );
