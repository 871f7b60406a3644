import { PanelPlugin } from '@grafana/data';
import { ValueOptionEditor } from '../ValueOptionEditor';
import { AlertListPanel } from './AlertListPanel';
import { SortOrder, type AlertListOptions } from './types';

const OPTIONS = ['Options'];
const FILTER = ['Filter'];
const STATES = ['Alert state filter'];

/** Grafana 12's alert list (unified alerting): options, filters and state filters with Grafana's defaults. */
export function alertListPlugin(): PanelPlugin<AlertListOptions> {
  return new PanelPlugin<AlertListOptions>(AlertListPanel).setPanelOptions((builder) => {
    builder
      .addRadio({
        path: 'viewMode',
        name: 'View mode',
        description: 'Toggle between list view and stat view',
        category: OPTIONS,
        defaultValue: 'list',
        settings: {
          options: [
            { label: 'List', value: 'list' },
            { label: 'Stat', value: 'stat' },
          ],
        },
      })
      .addRadio({
        path: 'groupMode',
        name: 'Group mode',
        description: 'How alert instances should be grouped',
        category: OPTIONS,
        defaultValue: 'default',
        settings: {
          options: [
            { value: 'default', label: 'Default grouping' },
            { value: 'custom', label: 'Custom grouping' },
          ],
        },
      })
      .addCustomEditor({
        id: 'groupBy',
        path: 'groupBy',
        name: 'Group by',
        description: 'Filter alerts using label querying',
        category: OPTIONS,
        editor: ValueOptionEditor,
        defaultValue: [],
        showIf: (options) => options.groupMode === 'custom',
      })
      .addNumberInput({
        path: 'maxItems',
        name: 'Max items',
        description: 'Maximum alerts to display',
        category: OPTIONS,
        defaultValue: 20,
      })
      .addSelect({
        path: 'sortOrder',
        name: 'Sort order',
        description: 'Sort order of alerts and alert instances',
        category: OPTIONS,
        settings: {
          options: [
            { label: 'Alphabetical (asc)', value: SortOrder.AlphaAsc },
            { label: 'Alphabetical (desc)', value: SortOrder.AlphaDesc },
            { label: 'Importance', value: SortOrder.Importance },
            { label: 'Time (asc)', value: SortOrder.TimeAsc },
            { label: 'Time (desc)', value: SortOrder.TimeDesc },
          ],
        },
        defaultValue: SortOrder.AlphaAsc,
      })
      .addBooleanSwitch({
        path: 'dashboardAlerts',
        name: 'Alerts linked to this dashboard',
        description: 'Only show alerts linked to this dashboard',
        category: OPTIONS,
        defaultValue: false,
      })
      .addTextInput({
        path: 'alertName',
        name: 'Alert name',
        description: 'Filter for alerts containing this text',
        category: FILTER,
        defaultValue: '',
      })
      .addTextInput({
        path: 'alertInstanceLabelFilter',
        name: 'Alert instance label',
        description:
          'Filter alert instances using label querying, ex: {severity="critical", instance=~"cluster-us-.+"}',
        category: FILTER,
        defaultValue: '',
      })
      .addCustomEditor({
        id: 'datasource',
        path: 'datasource',
        name: 'Datasource',
        description: 'Filter from alert source',
        category: FILTER,
        editor: ValueOptionEditor,
        defaultValue: null,
      })
      .addCustomEditor({
        id: 'folder',
        path: 'folder',
        name: 'Folder',
        description: 'Filter for alerts in the selected folder (for Grafana-managed alert rules only)',
        category: FILTER,
        editor: ValueOptionEditor,
        defaultValue: null,
      })
      .addBooleanSwitch({
        path: 'showInactiveAlerts',
        name: 'Show alerts with 0 instances',
        category: FILTER,
        defaultValue: false,
      })
      .addBooleanSwitch({ path: 'stateFilter.firing', name: 'Alerting / Firing', category: STATES, defaultValue: true })
      .addBooleanSwitch({ path: 'stateFilter.pending', name: 'Pending', category: STATES, defaultValue: true })
      .addBooleanSwitch({ path: 'stateFilter.recovering', name: 'Recovering', category: STATES, defaultValue: true })
      .addBooleanSwitch({ path: 'stateFilter.noData', name: 'No Data', category: STATES, defaultValue: false })
      .addBooleanSwitch({ path: 'stateFilter.normal', name: 'Normal', category: STATES, defaultValue: false })
      .addBooleanSwitch({ path: 'stateFilter.error', name: 'Error', category: STATES, defaultValue: true });
  });
}
