import { FieldConfigProperty, PanelPlugin, type SelectFieldConfigSettings } from '@grafana/data';
import { NODE_KINDS, type NodeKind } from '@mlsight/contract';
import { ProvenanceGraphPanel } from './components/ProvenanceGraphPanel';
import { DEFAULT_OPTIONS, migrateOptions, type ProvenanceOptions } from './types';

export const plugin = new PanelPlugin<ProvenanceOptions>(ProvenanceGraphPanel)
  .setMigrationHandler((panel) => migrateOptions(panel.options))
  // Node stats arrive as text and node colours follow the run status, so only display names (the details drawer's
  // labels, per field by override) and links make sense here.
  .useFieldConfig({
    disableStandardOptions: [
      FieldConfigProperty.Unit,
      FieldConfigProperty.Decimals,
      FieldConfigProperty.Min,
      FieldConfigProperty.Max,
      FieldConfigProperty.FieldMinMax,
      FieldConfigProperty.Thresholds,
      FieldConfigProperty.Color,
      FieldConfigProperty.Mappings,
      FieldConfigProperty.NoValue,
      FieldConfigProperty.Filterable,
    ],
  })
  .setPanelOptions((builder) =>
    builder
      .addRadio({
        path: 'direction',
        name: 'Direction',
        defaultValue: DEFAULT_OPTIONS.direction,
        settings: {
          options: [
            { value: 'LR', label: 'Left → right' },
            { value: 'TB', label: 'Top → bottom' },
          ],
        },
      })
      .addTextInput({
        path: 'mlflowBaseUrl',
        name: 'MLflow UI URL',
        description: "Base URL joined with each node's link (http(s) or relative links only)",
        defaultValue: DEFAULT_OPTIONS.mlflowBaseUrl,
        settings: { placeholder: 'http://mlflow.example:5000' },
      })
      // Grafana types a multi-select's options with the array type; typed per item here, unset means none.
      .addMultiSelect<NodeKind, SelectFieldConfigSettings<NodeKind>>({
        path: 'collapseKinds',
        name: 'Collapse kinds',
        description: 'Connected nodes of these kinds are drawn as one group node',
        settings: { options: NODE_KINDS.map((k) => ({ value: k, label: k.replace('_', ' ') })) },
      })
      .addNumberInput({
        path: 'autoCollapseAbove',
        name: 'Collapse steps above',
        description: 'Graphs with more nodes show connected step runs as groups (0: never)',
        defaultValue: DEFAULT_OPTIONS.autoCollapseAbove,
        settings: { min: 0, integer: true },
      })
      .addBooleanSwitch({ path: 'showLegend', name: 'Legend', defaultValue: DEFAULT_OPTIONS.showLegend })
  );
