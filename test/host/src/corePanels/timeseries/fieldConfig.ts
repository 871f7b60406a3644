import {
  FieldColorModeId,
  FieldConfigProperty,
  FieldType,
  identityOverrideProcessor,
  type FieldConfigEditorBuilder,
  type SetFieldConfigOptionsArgs,
} from '@grafana/data';
import {
  AxisColorMode,
  AxisPlacement,
  BarAlignment,
  GraphDrawStyle,
  GraphGradientMode,
  GraphThresholdsStyleMode,
  LineInterpolation,
  StackingMode,
  VisibilityMode,
  type GraphFieldConfig,
} from '@grafana/schema';
import { commonOptionsBuilder, graphFieldOptions } from '@grafana/ui';
import { ValueOptionEditor } from '../ValueOptionEditor';

/** Grafana 12's `defaultGraphConfig` (timeseries/config.ts): the custom field config every series starts with. */
export const DEFAULT_GRAPH_CONFIG: GraphFieldConfig = {
  drawStyle: GraphDrawStyle.Line,
  lineInterpolation: LineInterpolation.Linear,
  lineWidth: 1,
  fillOpacity: 0,
  gradientMode: GraphGradientMode.None,
  barAlignment: BarAlignment.Center,
  barWidthFactor: 0.6,
  stacking: { mode: StackingMode.None, group: 'A' },
  axisPlacement: AxisPlacement.Auto,
  axisColorMode: AxisColorMode.Text,
  axisBorderShow: false,
  axisCenteredZero: false,
  showPoints: VisibilityMode.Auto,
  pointSize: 5,
  spanNulls: false,
  insertNulls: false,
};

const GRAPH_STYLES = ['Graph styles'];
const isNumber = (field: { type: FieldType }) => field.type === FieldType.number;

function addGraphStyles(builder: FieldConfigEditorBuilder<GraphFieldConfig>, cfg: GraphFieldConfig): void {
  const notPoints = (c: GraphFieldConfig) => c.drawStyle !== GraphDrawStyle.Points;
  builder
    .addRadio({
      path: 'drawStyle',
      name: 'Style',
      category: GRAPH_STYLES,
      defaultValue: cfg.drawStyle,
      settings: { options: graphFieldOptions.drawStyle },
    })
    .addRadio({
      path: 'lineInterpolation',
      name: 'Line interpolation',
      category: GRAPH_STYLES,
      defaultValue: cfg.lineInterpolation,
      settings: { options: graphFieldOptions.lineInterpolation },
      showIf: (c) => c.drawStyle === GraphDrawStyle.Line,
    })
    .addRadio({
      path: 'barAlignment',
      name: 'Bar alignment',
      category: GRAPH_STYLES,
      defaultValue: cfg.barAlignment,
      settings: { options: graphFieldOptions.barAlignment },
      showIf: (c) => c.drawStyle === GraphDrawStyle.Bars,
    })
    .addSliderInput({
      path: 'barWidthFactor',
      name: 'Bar width factor',
      category: GRAPH_STYLES,
      defaultValue: cfg.barWidthFactor,
      settings: { min: 0.1, max: 1, step: 0.1 },
      showIf: (c) => c.drawStyle === GraphDrawStyle.Bars,
    })
    .addSliderInput({
      path: 'lineWidth',
      name: 'Line width',
      category: GRAPH_STYLES,
      defaultValue: cfg.lineWidth,
      settings: { min: 0, max: 10, step: 1, ariaLabelForHandle: 'Line width' },
      showIf: notPoints,
    })
    .addSliderInput({
      path: 'fillOpacity',
      name: 'Fill opacity',
      category: GRAPH_STYLES,
      defaultValue: cfg.fillOpacity,
      settings: { min: 0, max: 100, step: 1, ariaLabelForHandle: 'Fill opacity' },
      showIf: notPoints,
    })
    .addRadio({
      path: 'gradientMode',
      name: 'Gradient mode',
      category: GRAPH_STYLES,
      defaultValue: cfg.gradientMode,
      settings: { options: graphFieldOptions.fillGradient },
      showIf: notPoints,
    })
    .addCustomEditor({
      id: 'lineStyle',
      path: 'lineStyle',
      name: 'Line style',
      category: GRAPH_STYLES,
      showIf: (c) => c.drawStyle === GraphDrawStyle.Line,
      editor: ValueOptionEditor,
      override: ValueOptionEditor,
      process: identityOverrideProcessor,
      shouldApply: isNumber,
    })
    .addCustomEditor({
      id: 'spanNulls',
      path: 'spanNulls',
      name: 'Connect null values',
      category: GRAPH_STYLES,
      defaultValue: cfg.spanNulls,
      showIf: (c) => c.drawStyle === GraphDrawStyle.Line,
      editor: ValueOptionEditor,
      override: ValueOptionEditor,
      process: identityOverrideProcessor,
      shouldApply: isNumber,
    })
    .addCustomEditor({
      id: 'insertNulls',
      path: 'insertNulls',
      name: 'Disconnect values',
      category: GRAPH_STYLES,
      defaultValue: cfg.insertNulls,
      showIf: (c) => c.drawStyle === GraphDrawStyle.Line,
      editor: ValueOptionEditor,
      override: ValueOptionEditor,
      process: identityOverrideProcessor,
      shouldApply: isNumber,
    })
    .addRadio({
      path: 'showPoints',
      name: 'Show points',
      category: GRAPH_STYLES,
      defaultValue: cfg.showPoints,
      settings: { options: graphFieldOptions.showPoints },
      showIf: notPoints,
    })
    .addSliderInput({
      path: 'pointSize',
      name: 'Point size',
      category: GRAPH_STYLES,
      defaultValue: cfg.pointSize,
      settings: { min: 1, max: 40, step: 1, ariaLabelForHandle: 'Point size' },
      showIf: (c) => c.showPoints !== VisibilityMode.Never || c.drawStyle === GraphDrawStyle.Points,
    });
}

/**
 * Grafana 12's `getGraphFieldConfig(defaultGraphConfig)`: classic palette colours by default (one colour per
 * series), and the custom graph options the uPlot config builder reads from `field.config.custom` — graph styles,
 * stacking, axis, series visibility, threshold display.
 */
export function timeSeriesFieldConfig(
  cfg: GraphFieldConfig = DEFAULT_GRAPH_CONFIG
): SetFieldConfigOptionsArgs<GraphFieldConfig> {
  return {
    standardOptions: {
      [FieldConfigProperty.Color]: {
        settings: { byValueSupport: true, bySeriesSupport: true, preferThresholdsMode: false },
        defaultValue: { mode: FieldColorModeId.PaletteClassic },
      },
    },
    useCustomConfig: (builder) => {
      addGraphStyles(builder, cfg);
      commonOptionsBuilder.addStackingConfig(builder, cfg.stacking, GRAPH_STYLES);
      commonOptionsBuilder.addAxisConfig(builder, cfg);
      commonOptionsBuilder.addHideFrom(builder);
      builder.addCustomEditor({
        id: 'thresholdsStyle',
        path: 'thresholdsStyle',
        name: 'Show thresholds',
        category: ['Thresholds'],
        defaultValue: { mode: GraphThresholdsStyleMode.Off },
        settings: { options: graphFieldOptions.thresholdsDisplayModes },
        editor: ValueOptionEditor,
        override: ValueOptionEditor,
        process: identityOverrideProcessor,
        shouldApply: () => true,
      });
    },
  };
}
