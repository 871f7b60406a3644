import {
  getDisplayValueAlignmentFactors,
  getFieldDisplayValues,
  type DisplayValueAlignmentFactors,
  type FieldConfigSource,
  type FieldDisplay,
  type PanelProps,
} from '@grafana/data';
import { BigValueTextMode } from '@grafana/schema';
import {
  BigValue,
  DataLinksContextMenu,
  VizRepeater,
  useTheme2,
  type DataLinksContextMenuApi,
  type VizRepeaterRenderValueProps,
} from '@grafana/ui';
import type { StatOptions } from './types';

type ValueProps = VizRepeaterRenderValueProps<FieldDisplay, DisplayValueAlignmentFactors>;

/** Grafana's rule: "Auto" shows the name too when a display name is set or the panel has no title. */
export function statTextMode(textMode: BigValueTextMode, fieldConfig: FieldConfigSource, title: string) {
  if (textMode === BigValueTextMode.Auto && (fieldConfig.defaults.displayName || !title)) {
    return BigValueTextMode.ValueAndName;
  }
  return textMode;
}

/**
 * Grafana's stat panel: `getFieldDisplayValues` reduces the frames with the panel's reduce options (value
 * mappings, thresholds and overrides are already in each field's display processor), `VizRepeater` lays the
 * values out (grid in auto orientation), and each is a `BigValue`, behind a data-links menu when it has links.
 */
export function StatPanel(props: PanelProps<StatOptions>) {
  const { data, options, fieldConfig, replaceVariables, timeZone, timeRange, width, height, renderCounter } = props;
  const theme = useTheme2();
  const textMode = statTextMode(options.textMode, fieldConfig, props.title);

  const getValues = (): FieldDisplay[] =>
    getFieldDisplayValues({
      fieldConfig,
      reduceOptions: options.reduceOptions,
      replaceVariables,
      theme,
      data: data.series,
      sparkline: options.graphMode !== 'none',
      percentChange: options.showPercentChange,
      timeZone,
    });

  const renderBigValue = (valueProps: ValueProps, menu: DataLinksContextMenuApi) => {
    const { value } = valueProps;
    return (
      <BigValue
        value={value.display}
        count={valueProps.count}
        sparkline={value.sparkline ? { ...value.sparkline, timeRange } : undefined}
        colorMode={options.colorMode}
        graphMode={options.graphMode}
        justifyMode={options.justifyMode}
        textMode={textMode}
        alignmentFactors={valueProps.alignmentFactors}
        text={options.text}
        width={valueProps.width}
        height={valueProps.height}
        theme={theme}
        onClick={menu.openMenu}
        className={menu.targetClassName}
        disableWideLayout={!options.wideLayout}
        percentChangeColorMode={options.percentChangeColorMode}
      />
    );
  };

  const renderValue = (valueProps: ValueProps) => {
    const { getLinks, hasLinks } = valueProps.value;
    if (hasLinks && getLinks) {
      return <DataLinksContextMenu links={getLinks}>{(menu) => renderBigValue(valueProps, menu)}</DataLinksContextMenu>;
    }
    return renderBigValue(valueProps, {});
  };

  return (
    <VizRepeater<FieldDisplay, DisplayValueAlignmentFactors>
      getValues={getValues}
      getAlignmentFactors={getDisplayValueAlignmentFactors}
      renderValue={renderValue}
      width={width}
      height={height}
      source={data}
      itemSpacing={3}
      renderCounter={renderCounter}
      autoGrid={true}
      orientation={options.orientation}
    />
  );
}
