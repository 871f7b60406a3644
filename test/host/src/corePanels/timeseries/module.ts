import { PanelPlugin } from '@grafana/data';
import type { GraphFieldConfig } from '@grafana/schema';
import { commonOptionsBuilder } from '@grafana/ui';
import { ValueOptionEditor } from '../ValueOptionEditor';
import { timeSeriesFieldConfig } from './fieldConfig';
import { TimeSeriesPanel } from './TimeSeriesPanel';
import { TOOLTIP_DEFAULTS, type TimeSeriesOptions } from './types';

/** Grafana 12's time-series panel: graph field config, tooltip (with hide-zeros), legend and time-zone options. */
export function timeSeriesPlugin(): PanelPlugin<TimeSeriesOptions, GraphFieldConfig> {
  return new PanelPlugin<TimeSeriesOptions, GraphFieldConfig>(TimeSeriesPanel)
    .useFieldConfig(timeSeriesFieldConfig())
    .setPanelOptions((builder) => {
      commonOptionsBuilder.addTooltipOptions(builder, false, true, { tooltip: TOOLTIP_DEFAULTS });
      commonOptionsBuilder.addLegendOptions(builder);
      builder.addCustomEditor({
        id: 'timezone',
        path: 'timezone',
        name: 'Time zone',
        category: ['Axis'],
        editor: ValueOptionEditor,
        defaultValue: undefined,
      });
    })
    .setDataSupport({ annotations: true, alertStates: true });
}
