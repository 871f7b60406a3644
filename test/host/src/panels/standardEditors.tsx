/**
 * The option editors and standard field options Grafana core registers at boot (`getAllOptionEditors` and
 * `getAllStandardFieldConfigs` in Grafana 12's public/app/core/components/OptionsUI/registry.tsx, installed by
 * `standardEditorsRegistry.setInit` / `standardFieldConfigEditorRegistry.setInit` in app.ts). Panel option builders
 * (`addRadio`, `addTextInput`, …) look editors up by these ids, and `applyFieldOverrides` runs the standard
 * options' processors, so ids, paths, defaults, processors and `shouldApply` are Grafana's. The editor components
 * are Grafana core's own, which no package exports: here each is the @grafana/ui control core wraps, or a read-only
 * view where core has an app-only editor (value mappings, thresholds, field-name, dashboard and actions pickers).
 */
import {
  FieldType,
  ThresholdsMode,
  booleanOverrideProcessor,
  dataLinksOverrideProcessor,
  displayNameOverrideProcessor,
  identityOverrideProcessor,
  numberOverrideProcessor,
  standardEditorsRegistry,
  standardFieldConfigEditorRegistry,
  stringOverrideProcessor,
  thresholdsOverrideProcessor,
  valueMappingsOverrideProcessor,
  type FieldConfigPropertyItem,
  type SelectableValue,
  type StandardEditorProps,
  type StandardEditorsRegistryItem,
} from '@grafana/data';
import {
  ColorPicker,
  DataLinksInlineEditor,
  Input,
  MultiSelect,
  RadioButtonGroup,
  Select,
  Slider,
  StatsPicker,
  Switch,
  TagsInput,
  TimeZonePicker,
  UnitPicker,
} from '@grafana/ui';
import type { ComponentType } from 'react';

type Editor = ComponentType<StandardEditorProps>;

interface OptionsSettings {
  options?: Array<SelectableValue<unknown>>;
  placeholder?: string;
  min?: number;
  max?: number;
  step?: number;
}

const settingsOf = (props: StandardEditorProps): OptionsSettings =>
  typeof props.item.settings === 'object' && props.item.settings !== null
    ? (props.item.settings as OptionsSettings)
    : {};

const asString = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const asNumber = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const TextEditor: Editor = (props) => (
  <Input
    id={props.id}
    value={asString(props.value)}
    placeholder={settingsOf(props).placeholder}
    onChange={(e) => props.onChange(e.currentTarget.value)}
  />
);

const NumberEditor: Editor = (props) => (
  <Input
    id={props.id}
    type="number"
    value={asNumber(props.value) ?? ''}
    placeholder={settingsOf(props).placeholder}
    onChange={(e) => {
      const n = e.currentTarget.valueAsNumber;
      props.onChange(Number.isFinite(n) ? n : undefined);
    }}
  />
);

const SliderEditor: Editor = (props) => {
  const s = settingsOf(props);
  return (
    <Slider
      min={s.min ?? 0}
      max={s.max ?? 100}
      step={s.step}
      value={asNumber(props.value)}
      onChange={(v) => props.onChange(v)}
    />
  );
};

const BooleanEditor: Editor = (props) => (
  <Switch id={props.id} value={props.value === true} onChange={(e) => props.onChange(e.currentTarget.checked)} />
);

const RadioEditor: Editor = (props) => (
  <RadioButtonGroup
    id={props.id}
    value={props.value}
    options={settingsOf(props).options ?? []}
    onChange={(v) => props.onChange(v)}
  />
);

const SelectEditor: Editor = (props) => (
  <Select
    inputId={props.id}
    value={props.value}
    options={settingsOf(props).options ?? []}
    onChange={(v) => props.onChange(v.value)}
  />
);

const MultiSelectEditor: Editor = (props) => (
  <MultiSelect
    inputId={props.id}
    value={Array.isArray(props.value) ? props.value : []}
    options={settingsOf(props).options ?? []}
    onChange={(v) => props.onChange(v.map((o) => o.value))}
  />
);

const UnitEditor: Editor = (props) => <UnitPicker value={asString(props.value)} onChange={(v) => props.onChange(v)} />;

const ColorEditor: Editor = (props) => (
  <ColorPicker color={asString(props.value) || 'transparent'} onChange={(c) => props.onChange(c)} />
);

const LinksEditor: Editor = (props) => (
  <DataLinksInlineEditor
    links={Array.isArray(props.value) ? props.value : []}
    onChange={(links) => props.onChange(links)}
    getSuggestions={() => []}
    data={props.context.data}
  />
);

const StatsEditor: Editor = (props) => (
  <StatsPicker stats={Array.isArray(props.value) ? props.value : []} onChange={(stats) => props.onChange(stats)} />
);

const StringsEditor: Editor = (props) => (
  <TagsInput tags={Array.isArray(props.value) ? props.value : []} onChange={(tags) => props.onChange(tags)} />
);

const TimeZoneEditor: Editor = (props) => (
  <TimeZonePicker value={asString(props.value)} onChange={(tz) => props.onChange(tz)} />
);

/** Core's app-only editors (value mappings, thresholds, pickers backed by Grafana's APIs): the value, read-only. */
const ReadOnlyEditor: Editor = (props) => <Input id={props.id} readOnly value={JSON.stringify(props.value ?? null)} />;

const item = (id: string, name: string, description: string, editor: Editor): StandardEditorsRegistryItem => ({
  id,
  name,
  description,
  editor,
});

/** Grafana 12's `getAllOptionEditors`: the same ids and order. */
export function getAllOptionEditors(): StandardEditorsRegistryItem[] {
  return [
    item('text', 'Text', 'Allows string values input', TextEditor),
    item('number', 'Number', 'Allows numeric values input', NumberEditor),
    item('slider', 'Slider', 'Allows numeric values input', SliderEditor),
    item('boolean', 'Boolean', 'Allows boolean values input', BooleanEditor),
    item('radio', 'Radio', 'Allows option selection', RadioEditor),
    item('select', 'Select', 'Allows option selection', SelectEditor),
    item('unit', 'Unit', 'Allows unit input', UnitEditor),
    item('links', 'Links', 'Allows defining data links', LinksEditor),
    item('actions', 'Actions', 'Allows defining actions', ReadOnlyEditor),
    item('stats-picker', 'Stats Picker', '', StatsEditor),
    item('strings', 'String array', 'An array of strings', StringsEditor),
    item('timezone', 'Time zone', 'Time zone selection', TimeZoneEditor),
    item('fieldColor', 'Field Color', 'Field color selection', ReadOnlyEditor),
    item('color', 'Color', 'Allows color selection', ColorEditor),
    item('multi-select', 'Multi select', 'Allows for multiple option selection', MultiSelectEditor),
    item('field-name', 'Field name', 'Allows selecting a field name from a data frame', ReadOnlyEditor),
    item('dashboard-uid', 'Dashboard', 'Select dashboard', ReadOnlyEditor),
    item('mappings', 'Mappings', 'Allows defining value mappings', ReadOnlyEditor),
    item('thresholds', 'Thresholds', 'Allows defining thresholds', ReadOnlyEditor),
  ];
}

const editorOf = (id: string): Editor => standardEditorsRegistry.get(id).editor;

/** Grafana 12's `getAllStandardFieldConfigs`: ids, paths, processors, defaults and `shouldApply` as core has them. */
export function getAllStandardFieldConfigs(): FieldConfigPropertyItem[] {
  const category = ['Standard options'];
  const isNumber = (field: { type: FieldType }) => field.type === FieldType.number;
  const prop = (
    id: string,
    name: string,
    editorId: string,
    process: FieldConfigPropertyItem['process'],
    rest: Partial<FieldConfigPropertyItem> = {}
  ): FieldConfigPropertyItem => ({
    id,
    path: id,
    name,
    editor: editorOf(editorId),
    override: editorOf(editorId),
    process,
    shouldApply: () => true,
    category,
    ...rest,
  });
  return [
    prop('unit', 'Unit', 'unit', stringOverrideProcessor, { settings: { placeholder: 'none' } }),
    prop('min', 'Min', 'number', numberOverrideProcessor, { settings: { placeholder: 'auto' }, shouldApply: isNumber }),
    prop('max', 'Max', 'number', numberOverrideProcessor, { settings: { placeholder: 'auto' }, shouldApply: isNumber }),
    prop('fieldMinMax', 'Field min/max', 'boolean', booleanOverrideProcessor, {
      shouldApply: isNumber,
      showIf: (options) => options.min === undefined || options.max === undefined,
    }),
    prop('decimals', 'Decimals', 'number', numberOverrideProcessor, {
      settings: { placeholder: 'auto', min: 0, max: 15, integer: true },
      shouldApply: isNumber,
    }),
    prop('displayName', 'Display name', 'text', displayNameOverrideProcessor, {
      settings: { placeholder: 'none', expandTemplateVars: true },
    }),
    prop('color', 'Color scheme', 'fieldColor', identityOverrideProcessor, {
      settings: { byValueSupport: true, preferThresholdsMode: true },
    }),
    prop('noValue', 'No value', 'text', stringOverrideProcessor, { settings: { placeholder: '-' } }),
    prop('links', 'Data links', 'links', dataLinksOverrideProcessor, {
      settings: { showOneClick: false },
      category: ['Data links and actions'],
    }),
    // Core's actionsOverrideProcessor (the identity, like the data-links one) is not exported by @grafana/data 12.
    prop('actions', 'Actions', 'actions', dataLinksOverrideProcessor, {
      settings: { showOneClick: false },
      category: ['Data links and actions'],
      hideFromDefaults: true,
    }),
    prop('mappings', 'Value mappings', 'mappings', valueMappingsOverrideProcessor, {
      settings: {},
      defaultValue: [],
      shouldApply: (field) => field.type !== FieldType.time,
      category: ['Value mappings'],
    }),
    prop('thresholds', 'Thresholds', 'thresholds', thresholdsOverrideProcessor, {
      settings: {},
      defaultValue: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: 'green' },
          { value: 80, color: 'red' },
        ],
      },
      category: ['Thresholds'],
    }),
    prop('filterable', 'Ad-hoc filterable', 'boolean', booleanOverrideProcessor, {
      settings: {},
      hideFromDefaults: true,
    }),
  ];
}

let initialised = false;

/** What Grafana's app.ts does before any panel plugin loads; safe to call more than once. */
export function initStandardEditors(): void {
  if (initialised) return;
  initialised = true;
  standardEditorsRegistry.setInit(getAllOptionEditors);
  standardFieldConfigEditorRegistry.setInit(getAllStandardFieldConfigs);
}
