import { MappingType, type FieldConfigSource, type ScopedVars } from '@grafana/data';
import { TableCellDisplayMode } from '@grafana/ui';
import { modelsUrl } from '../constants';
import { DRIFT_TREND_FIELD, type FleetStatus } from './fleetFrame';

/** Status colours by theme palette name (the theme resolves them for light and dark), never a hex value. */
export const STATUS_COLORS: Record<FleetStatus, string> = {
  critical: 'red',
  warning: 'orange',
  ok: 'green',
  no_data: 'text',
};

const STATUS_TEXT: Record<FleetStatus, string> = {
  critical: 'Critical',
  warning: 'Warning',
  ok: 'OK',
  no_data: 'No data',
};

/** The fleet table's field config: status colours, the model link, the sparkline, column titles; every column filterable. */
export function fleetFieldConfig(): FieldConfigSource {
  const byName = (name: string, properties: Array<{ id: string; value: unknown }>) => ({
    matcher: { id: 'byName', options: name },
    properties,
  });
  const statusOptions = Object.fromEntries(
    (Object.keys(STATUS_COLORS) as FleetStatus[]).map((status, index) => [
      status,
      { text: STATUS_TEXT[status], color: STATUS_COLORS[status], index },
    ])
  );
  return {
    defaults: { custom: { filterable: true, align: 'auto', cellOptions: { type: TableCellDisplayMode.Auto } } },
    overrides: [
      byName('model', [
        { id: 'displayName', value: 'Model' },
        // `${__value.raw}` is the row's model name; `fleetLinkVariables` fills it in.
        { id: 'links', value: [{ title: 'Open the model page', url: `${modelsUrl()}/\${__value.raw}/drift` }] },
      ]),
      byName('status', [
        { id: 'displayName', value: 'Status' },
        { id: 'mappings', value: [{ type: MappingType.ValueToText, options: statusOptions }] },
        { id: 'custom.cellOptions', value: { type: TableCellDisplayMode.ColorText } },
      ]),
      byName('attention', [
        { id: 'displayName', value: 'Attention' },
        { id: 'decimals', value: 2 },
      ]),
      byName('champion_version', [{ id: 'displayName', value: 'Champion' }]),
      byName('champion_alias_age', [{ id: 'displayName', value: 'Champion since' }]),
      byName('challenger_version', [{ id: 'displayName', value: 'Challenger' }]),
      byName('predictions', [{ id: 'displayName', value: 'Predictions' }]),
      byName('freshness', [{ id: 'displayName', value: 'Freshness' }]),
      byName('drifted_features', [{ id: 'displayName', value: 'Drifted' }]),
      byName('features', [{ id: 'displayName', value: 'Features' }]),
      byName('drift_share', [{ id: 'displayName', value: 'Drift share' }]),
      byName(DRIFT_TREND_FIELD, [
        { id: 'custom.cellOptions', value: { type: TableCellDisplayMode.Sparkline } },
        { id: 'custom.filterable', value: false },
      ]),
      byName('estimated_accuracy', [{ id: 'displayName', value: 'Est. accuracy' }]),
      byName('estimated_accuracy_lower', [{ id: 'displayName', value: 'Est. lower' }]),
      byName('estimated_accuracy_upper', [{ id: 'displayName', value: 'Est. upper' }]),
      byName('realised_accuracy', [{ id: 'displayName', value: 'Realised accuracy' }]),
      byName('quality_incidents', [{ id: 'displayName', value: 'Quality incidents' }]),
      byName('firing_alerts', [{ id: 'displayName', value: 'Firing alerts' }]),
      byName('reasons', [{ id: 'displayName', value: 'Why' }]),
    ],
  };
}

function rawValue(scopedVars: ScopedVars | undefined): string {
  const value: unknown = scopedVars?.__value?.value;
  if (typeof value === 'object' && value !== null && 'raw' in value) return String(value.raw);
  return '';
}

/**
 * `replaceVariables` for the table's links: `${__value.raw}` is the cell's value, URL-encoded (a model name may hold
 * any character); nothing else is a variable on the fleet page.
 */
export function fleetLinkVariables(text: string, scopedVars?: ScopedVars): string {
  return text.replace(/\$\{__value\.raw\}/g, () => encodeURIComponent(rawValue(scopedVars)));
}
