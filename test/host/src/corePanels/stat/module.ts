import { PanelPlugin } from '@grafana/data';
import { StatPanel } from './StatPanel';
import { addStatOptions } from './statOptions';
import type { StatOptions } from './types';

/** Grafana 12's stat panel: all standard field options, the reduce/stat-style options, no padding. */
export function statPlugin(): PanelPlugin<StatOptions> {
  return new PanelPlugin<StatOptions>(StatPanel).useFieldConfig().setPanelOptions(addStatOptions).setNoPadding();
}
