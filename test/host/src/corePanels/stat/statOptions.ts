import { standardEditorsRegistry, VizOrientation, type PanelOptionsEditorBuilder } from '@grafana/data';
import {
  BigValueColorMode,
  BigValueGraphMode,
  BigValueJustifyMode,
  BigValueTextMode,
  PercentChangeColorMode,
} from '@grafana/schema';
import { commonOptionsBuilder } from '@grafana/ui';
import { STAT_DEFAULTS, type StatOptions } from './types';

const VALUE_OPTIONS = ['Value options'];
const STAT_STYLES = ['Stat styles'];

/** Grafana's `addStandardDataReduceOptions` (stat/common.ts): calculate or all values, calcs, limit, fields. */
function addReduceOptions(builder: PanelOptionsEditorBuilder<StatOptions>): void {
  builder
    .addRadio({
      path: 'reduceOptions.values',
      name: 'Show',
      description: 'Calculate a single value per column or series or show each row',
      category: VALUE_OPTIONS,
      settings: {
        options: [
          { value: false, label: 'Calculate' },
          { value: true, label: 'All values' },
        ],
      },
      defaultValue: STAT_DEFAULTS.reduceOptions.values,
    })
    .addNumberInput({
      path: 'reduceOptions.limit',
      name: 'Limit',
      description: 'Max number of rows to display',
      category: VALUE_OPTIONS,
      settings: { placeholder: '5000', integer: true, min: 1, max: 5000 },
      showIf: (options) => options.reduceOptions.values === true,
    })
    .addCustomEditor({
      id: 'reduceOptions.calcs',
      path: 'reduceOptions.calcs',
      name: 'Calculation',
      description: 'Choose a reducer function / calculation',
      category: VALUE_OPTIONS,
      editor: standardEditorsRegistry.get('stats-picker').editor,
      defaultValue: STAT_DEFAULTS.reduceOptions.calcs,
      showIf: (options) => options.reduceOptions.values !== true,
    })
    .addSelect({
      path: 'reduceOptions.fields',
      name: 'Fields',
      description: 'Select the fields that should be included in the panel',
      category: VALUE_OPTIONS,
      settings: {
        allowCustomValue: true,
        options: [
          { value: '', label: 'Numeric Fields' },
          { value: '/.*/', label: 'All Fields' },
        ],
      },
      defaultValue: STAT_DEFAULTS.reduceOptions.fields,
    });
}

/** The stat panel's option builder, in Grafana 12's order (module.tsx of the stat panel). */
export function addStatOptions(builder: PanelOptionsEditorBuilder<StatOptions>): void {
  addReduceOptions(builder);
  builder.addRadio({
    path: 'orientation',
    name: 'Orientation',
    description: 'Layout orientation',
    category: STAT_STYLES,
    settings: {
      options: [
        { value: VizOrientation.Auto, label: 'Auto' },
        { value: VizOrientation.Horizontal, label: 'Horizontal' },
        { value: VizOrientation.Vertical, label: 'Vertical' },
      ],
    },
    defaultValue: STAT_DEFAULTS.orientation,
  });
  commonOptionsBuilder.addTextSizeOptions(builder);
  builder
    .addSelect({
      path: 'textMode',
      name: 'Text mode',
      description: 'Control if name and value is displayed or just name',
      category: STAT_STYLES,
      settings: {
        options: [
          { value: BigValueTextMode.Auto, label: 'Auto' },
          { value: BigValueTextMode.Value, label: 'Value' },
          { value: BigValueTextMode.ValueAndName, label: 'Value and name' },
          { value: BigValueTextMode.Name, label: 'Name' },
          { value: BigValueTextMode.None, label: 'None' },
        ],
      },
      defaultValue: STAT_DEFAULTS.textMode,
    })
    .addRadio({
      path: 'wideLayout',
      name: 'Wide layout',
      category: STAT_STYLES,
      settings: {
        options: [
          { value: true, label: 'On' },
          { value: false, label: 'Off' },
        ],
      },
      defaultValue: STAT_DEFAULTS.wideLayout,
      showIf: (options) => options.textMode === BigValueTextMode.ValueAndName,
    })
    .addSelect({
      path: 'colorMode',
      name: 'Color mode',
      category: STAT_STYLES,
      settings: {
        options: [
          { value: BigValueColorMode.None, label: 'None' },
          { value: BigValueColorMode.Value, label: 'Value' },
          { value: BigValueColorMode.Background, label: 'Background Gradient' },
          { value: BigValueColorMode.BackgroundSolid, label: 'Background Solid' },
        ],
      },
      defaultValue: STAT_DEFAULTS.colorMode,
    })
    .addRadio({
      path: 'graphMode',
      name: 'Graph mode',
      description: 'Stat panel graph / sparkline mode',
      category: STAT_STYLES,
      settings: {
        options: [
          { value: BigValueGraphMode.None, label: 'None' },
          { value: BigValueGraphMode.Area, label: 'Area' },
        ],
      },
      defaultValue: STAT_DEFAULTS.graphMode,
    })
    .addRadio({
      path: 'justifyMode',
      name: 'Text alignment',
      category: STAT_STYLES,
      settings: {
        options: [
          { value: BigValueJustifyMode.Auto, label: 'Auto' },
          { value: BigValueJustifyMode.Center, label: 'Center' },
        ],
      },
      defaultValue: STAT_DEFAULTS.justifyMode,
    })
    .addBooleanSwitch({
      path: 'showPercentChange',
      name: 'Show percent change',
      description: 'Show percent change from the first to the last value',
      category: STAT_STYLES,
      defaultValue: STAT_DEFAULTS.showPercentChange,
      showIf: (options) => !options.reduceOptions.values,
    })
    .addSelect({
      path: 'percentChangeColorMode',
      name: 'Percent change color mode',
      category: STAT_STYLES,
      settings: {
        options: [
          { value: PercentChangeColorMode.Standard, label: 'Standard' },
          { value: PercentChangeColorMode.Inverted, label: 'Inverted' },
          { value: PercentChangeColorMode.SameAsValue, label: 'Same as Value' },
        ],
      },
      defaultValue: STAT_DEFAULTS.percentChangeColorMode,
      showIf: (options) => options.showPercentChange === true,
    });
}
