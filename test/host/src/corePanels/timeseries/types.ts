import {
  SortOrder,
  TooltipDisplayMode,
  type VizLegendOptions,
  type VizOrientation,
  type VizTooltipOptions,
} from '@grafana/schema';

/** Grafana 12's time-series options (`panelcfg.gen.ts`: OptionsWithTimezones + legend + tooltip). */
export interface TimeSeriesOptions {
  legend: VizLegendOptions;
  tooltip: VizTooltipOptions;
  timezone?: string[];
  orientation?: VizOrientation;
}

/** The tooltip defaults the panel hands `addTooltipOptions` (with `hideZeros`, so that switch is offered). */
export const TOOLTIP_DEFAULTS: VizTooltipOptions = {
  mode: TooltipDisplayMode.Single,
  sort: SortOrder.None,
  hideZeros: false,
};
