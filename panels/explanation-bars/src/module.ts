import { FieldConfigProperty, PanelPlugin } from '@grafana/data';
import { ExplanationBarsPanel } from './components/ExplanationBarsPanel';
import { DEFAULT_THRESHOLDS } from './fieldDisplay';
import { DEFAULT_OPTIONS, migrateOptions, type ExplanationOptions } from './types';

export const plugin = new PanelPlugin<ExplanationOptions>(ExplanationBarsPanel)
  .setMigrationHandler((panel) => migrateOptions(panel.options))
  // Unit and decimals format the value labels and tooltips, min/max fix the value axis, thresholds colour the global
  // bars by magnitude (e.g. features whose importance passes a level); all per field by override.
  .useFieldConfig({
    standardOptions: { [FieldConfigProperty.Thresholds]: { defaultValue: DEFAULT_THRESHOLDS } },
    disableStandardOptions: [FieldConfigProperty.Color, FieldConfigProperty.Mappings, FieldConfigProperty.Filterable],
  })
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'view',
        name: 'View',
        description: 'Local: one prediction as a waterfall from the base value (explanations_local query)',
        defaultValue: DEFAULT_OPTIONS.view,
        settings: {
          options: [
            { value: 'auto', label: 'Auto' },
            { value: 'global', label: 'Global' },
            { value: 'local', label: 'Local' },
          ],
        },
      })
      .addNumberInput({
        path: 'topN',
        name: 'Top N features',
        description: 'The rest are summed into one "others" bar; 0 shows all',
        defaultValue: DEFAULT_OPTIONS.topN,
        settings: { min: 0, integer: true },
      })
      .addRadio({
        path: 'sort',
        name: 'Sort',
        defaultValue: DEFAULT_OPTIONS.sort,
        settings: {
          options: [
            { value: 'magnitude', label: 'Largest first' },
            { value: 'name', label: 'Name' },
            { value: 'input', label: 'As returned' },
          ],
        },
      })
      .addRadio({
        path: 'valueMode',
        name: 'Values',
        description: 'Global view: importance (|attribution|) or signed mean attribution',
        defaultValue: DEFAULT_OPTIONS.valueMode,
        settings: {
          options: [
            { value: 'absolute', label: 'Absolute' },
            { value: 'signed', label: 'Signed' },
          ],
        },
      })
      .addBooleanSwitch({ path: 'showValues', name: 'Value labels', defaultValue: DEFAULT_OPTIONS.showValues })
  );
