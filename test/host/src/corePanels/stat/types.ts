import { ReducerID, VizOrientation, type ReduceDataOptions } from '@grafana/data';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  PercentChangeColorMode,
  type VizTextDisplayOptions,
} from '@grafana/schema';

/** Grafana 12's stat options (`panelcfg.gen.ts` of the stat panel: SingleStatBaseOptions + its own). */
export interface StatOptions {
  reduceOptions: ReduceDataOptions;
  orientation: VizOrientation;
  text?: VizTextDisplayOptions;
  textMode: BigValueTextMode;
  wideLayout: boolean;
  colorMode: BigValueColorMode;
  graphMode: BigValueGraphMode;
  justifyMode: BigValueJustifyMode;
  showPercentChange: boolean;
  percentChangeColorMode: PercentChangeColorMode;
}

/** The defaults of @grafana/schema 12.0.2's stat `defaultOptions` and of the shared reduce/orientation options. */
export const STAT_DEFAULTS: Omit<StatOptions, 'text'> = {
  reduceOptions: { values: false, calcs: [ReducerID.lastNotNull], fields: '' },
  orientation: VizOrientation.Auto,
  textMode: BigValueTextMode.Auto,
  wideLayout: true,
  colorMode: BigValueColorMode.Value,
  graphMode: BigValueGraphMode.Area,
  justifyMode: BigValueJustifyMode.Auto,
  showPercentChange: false,
  percentChangeColorMode: PercentChangeColorMode.Standard,
};
