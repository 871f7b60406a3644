import {
  FieldConfigProperty,
  PanelPlugin,
  ReducerID,
  identityOverrideProcessor,
  standardEditorsRegistry,
} from '@grafana/data';
import { TableCellDisplayMode, TableCellHeight, type TableFieldOptions } from '@grafana/schema';
import { ValueOptionEditor } from '../ValueOptionEditor';
import { TablePanel } from './TablePanel';
import type { TableOptions } from './types';

const TABLE = ['Table'];
const CELL_OPTIONS = ['Cell options'];
const FOOTER = ['Table footer'];

/** Grafana 12's table panel: the table field options (width, alignment, cell type, filter) and its panel options. */
export function tablePlugin(): PanelPlugin<TableOptions, TableFieldOptions> {
  return new PanelPlugin<TableOptions, TableFieldOptions>(TablePanel)
    .useFieldConfig({
      standardOptions: { [FieldConfigProperty.Actions]: { hideFromDefaults: false } },
      useCustomConfig: (builder) => {
        builder
          .addNumberInput({
            path: 'minWidth',
            name: 'Minimum column width',
            description: 'The minimum width for column auto resizing',
            category: TABLE,
            settings: { placeholder: '150', min: 50, max: 500 },
            shouldApply: () => true,
          })
          .addNumberInput({
            path: 'width',
            name: 'Column width',
            category: TABLE,
            settings: { placeholder: 'auto', min: 20 },
            shouldApply: () => true,
          })
          .addRadio({
            path: 'align',
            name: 'Column alignment',
            category: TABLE,
            settings: {
              options: [
                { label: 'Auto', value: 'auto' },
                { label: 'Left', value: 'left' },
                { label: 'Center', value: 'center' },
                { label: 'Right', value: 'right' },
              ],
            },
            defaultValue: 'auto',
          })
          .addCustomEditor({
            id: 'cellOptions',
            path: 'cellOptions',
            name: 'Cell type',
            category: CELL_OPTIONS,
            editor: ValueOptionEditor,
            override: ValueOptionEditor,
            defaultValue: { type: TableCellDisplayMode.Auto },
            process: identityOverrideProcessor,
            shouldApply: () => true,
          })
          .addBooleanSwitch({
            path: 'inspect',
            name: 'Cell value inspect',
            description: 'Enable cell value inspection in a modal window',
            category: CELL_OPTIONS,
            defaultValue: false,
          })
          .addBooleanSwitch({
            path: 'filterable',
            name: 'Column filter',
            description: 'Enables/disables field filters in table',
            category: TABLE,
          })
          .addBooleanSwitch({ path: 'hidden', name: 'Hide in table', category: TABLE, hideFromDefaults: true });
      },
    })
    .setPanelOptions((builder) => {
      builder
        .addBooleanSwitch({ path: 'showHeader', name: 'Show table header', category: TABLE, defaultValue: true })
        .addRadio({
          path: 'cellHeight',
          name: 'Cell height',
          category: TABLE,
          defaultValue: TableCellHeight.Sm,
          settings: {
            options: [
              { value: TableCellHeight.Sm, label: 'Small' },
              { value: TableCellHeight.Md, label: 'Medium' },
              { value: TableCellHeight.Lg, label: 'Large' },
            ],
          },
        })
        .addBooleanSwitch({ path: 'footer.show', name: 'Show table footer', category: FOOTER, defaultValue: false })
        .addCustomEditor({
          id: 'footer.reducer',
          path: 'footer.reducer',
          name: 'Calculation',
          description: 'Choose a reducer function / calculation',
          category: FOOTER,
          editor: standardEditorsRegistry.get('stats-picker').editor,
          defaultValue: [ReducerID.sum],
          showIf: (options) => options.footer?.show === true,
        })
        .addMultiSelect({
          path: 'footer.fields',
          name: 'Fields',
          description: 'Select the fields that should be calculated',
          category: FOOTER,
          settings: { allowCustomValue: false, options: [], placeholder: 'All Numeric Fields' },
          defaultValue: [],
          showIf: (options) => options.footer?.show === true,
        })
        .addBooleanSwitch({
          path: 'footer.countRows',
          name: 'Count rows',
          description: 'Display a single count for all data rows',
          category: FOOTER,
          defaultValue: false,
          showIf: (options) => options.footer?.show === true && options.footer.reducer[0] === ReducerID.count,
        })
        .addBooleanSwitch({
          path: 'footer.enablePagination',
          name: 'Enable pagination',
          category: FOOTER,
          showIf: (options) => options.footer?.show !== true,
        });
    });
}
