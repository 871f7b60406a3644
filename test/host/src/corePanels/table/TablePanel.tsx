import { css } from '@emotion/css';
import {
  getFrameDisplayName,
  type DataFrame,
  type GrafanaTheme2,
  type PanelProps,
  type SelectableValue,
} from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import type { TableSortByFieldState } from '@grafana/schema';
import { Select, Table, usePanelContext, useStyles2, useTheme2 } from '@grafana/ui';
import { noDataMessage } from '../noDataMessage';
import type { TableOptions } from './types';

/** Grafana's rule: the saved frame index if it still exists, else the first frame. */
export function currentFrameIndex(frames: DataFrame[], frameIndex: number | undefined): number {
  return frameIndex !== undefined && frameIndex > 0 && frameIndex < frames.length ? frameIndex : 0;
}

/**
 * Grafana's table panel on @grafana/ui's `Table`: one frame at a time (a frame picker below when the query returned
 * several), header, cell height, footer and pagination from the options, the saved sort applied initially and a
 * new sort saved back into the options, as Grafana does.
 */
export function TablePanel(props: PanelProps<TableOptions>) {
  const { data, width, height, options, fieldConfig, id, timeRange, replaceVariables, onOptionsChange } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const panelContext = usePanelContext();
  const frames = data.series;
  const hasFields = frames.some((frame) => frame.fields.length > 0);
  if (frames.length === 0 || !hasFields) {
    return <PanelDataErrorView panelId={id} message={noDataMessage(data)} fieldConfig={fieldConfig} data={data} />;
  }
  const index = currentFrameIndex(frames, options.frameIndex);
  const main = frames[index] ?? frames[0];
  if (!main) return null;
  const selectHeight = theme.spacing.gridSize * theme.components.height.md + theme.spacing.gridSize;
  const tableHeight = frames.length > 1 ? height - selectHeight : height;

  const table = (
    <Table
      height={tableHeight}
      width={width}
      data={main}
      noHeader={!options.showHeader}
      showTypeIcons={options.showTypeIcons}
      resizable={true}
      initialSortBy={options.sortBy}
      onSortByChange={(sortBy: TableSortByFieldState[]) => onOptionsChange({ ...options, sortBy })}
      onCellFilterAdded={panelContext.onAddAdHocFilter}
      footerOptions={options.footer}
      enablePagination={options.footer?.enablePagination}
      cellHeight={options.cellHeight}
      timeRange={timeRange}
      fieldConfig={fieldConfig}
      replaceVariables={replaceVariables}
    />
  );
  if (frames.length === 1) return table;

  const names: Array<SelectableValue<number>> = frames.map((frame, i) => ({
    label: getFrameDisplayName(frame),
    value: i,
  }));
  return (
    <div className={styles.wrapper}>
      {table}
      <div className={styles.selectWrapper}>
        <Select
          options={names}
          value={names[index]}
          onChange={(picked) => onOptionsChange({ ...options, frameIndex: picked.value ?? 0 })}
        />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ display: 'flex', flexDirection: 'column', justifyContent: 'space-between', height: '100%' }),
  selectWrapper: css({ padding: theme.spacing(1, 1, 0, 1) }),
});
