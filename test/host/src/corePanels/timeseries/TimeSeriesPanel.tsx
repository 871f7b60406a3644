import type { ComponentProps } from 'react';
import { useMemo } from 'react';
import type { PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { TooltipDisplayMode } from '@grafana/schema';
import { KeyboardPlugin, TimeSeries, TooltipPlugin2, useTheme2 } from '@grafana/ui';
import { noDataMessage } from '../noDataMessage';
import { prepareGraphableFields } from './prepareGraphableFields';
import { TimeSeriesTooltip } from './TimeSeriesTooltip';
import type { TimeSeriesOptions } from './types';

type HoverMode = ComponentProps<typeof TooltipPlugin2>['hoverMode'];
// TooltipHoverMode is a non-exported const enum of @grafana/ui: xOne = 0, xAll = 1 (same on 12 and 13).
const HOVER_ONE = 0 as HoverMode;
const HOVER_ALL = 1 as HoverMode;

/** Grafana's `getTimezones`: the panel's own time zones, empty entries meaning the dashboard's. */
export function panelTimeZones(timezones: string[] | undefined, dashboardZone: string): string[] {
  if (!timezones || timezones.length === 0) return [dashboardZone];
  return timezones.map((zone) => (zone ? zone : dashboardZone));
}

/**
 * Grafana's time-series panel on @grafana/ui's `TimeSeries` (GraphNG + uPlot, PlotLegend): frames prepared as
 * the panel prepares them, legend from the options, keyboard control, and `TooltipPlugin2` with a tooltip of the
 * hovered values; drag-to-zoom changes the dashboard's time range (`onChangeTimeRange`), as in Grafana.
 */
export function TimeSeriesPanel(props: PanelProps<TimeSeriesOptions>) {
  const { data, timeRange, timeZone, width, height, options, fieldConfig, onChangeTimeRange, id } = props;
  const theme = useTheme2();
  const frames = useMemo(() => prepareGraphableFields(data.series, theme, timeRange), [data.series, theme, timeRange]);
  const timeZones = useMemo(() => panelTimeZones(options.timezone, timeZone), [options.timezone, timeZone]);

  if (!frames) {
    return (
      <PanelDataErrorView
        panelId={id}
        message={noDataMessage(data, { time: true, number: true })}
        fieldConfig={fieldConfig}
        data={data}
        needsTimeField={true}
        needsNumberField={true}
      />
    );
  }
  const tooltip = options.tooltip;
  return (
    <TimeSeries
      frames={frames}
      structureRev={data.structureRev}
      timeRange={timeRange}
      timeZone={timeZones}
      width={width}
      height={height}
      legend={options.legend}
      options={options}
    >
      {(uplotConfig, alignedFrame) => (
        <>
          <KeyboardPlugin config={uplotConfig} />
          {tooltip.mode !== TooltipDisplayMode.None && (
            <TooltipPlugin2
              config={uplotConfig}
              hoverMode={tooltip.mode === TooltipDisplayMode.Single ? HOVER_ONE : HOVER_ALL}
              queryZoom={onChangeTimeRange}
              clientZoom={true}
              maxWidth={tooltip.maxWidth}
              render={(_u, dataIdxs, seriesIdx, _isPinned, _dismiss, _range, viaSync) => (
                <TimeSeriesTooltip
                  frame={alignedFrame}
                  dataIdxs={dataIdxs}
                  seriesIdx={seriesIdx}
                  mode={viaSync ? TooltipDisplayMode.Multi : tooltip.mode}
                  sort={tooltip.sort}
                  hideZeros={tooltip.hideZeros === true}
                  maxHeight={tooltip.maxHeight}
                />
              )}
            />
          )}
        </>
      )}
    </TimeSeries>
  );
}
