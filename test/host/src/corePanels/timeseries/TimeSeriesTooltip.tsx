import { css } from '@emotion/css';
import { formattedValueToString, type DataFrame, type Field, type GrafanaTheme2 } from '@grafana/data';
import { SortOrder, TooltipDisplayMode } from '@grafana/schema';
import { useStyles2 } from '@grafana/ui';

export interface TooltipRow {
  key: string;
  label: string;
  value: string;
  numeric: number | null;
  color: string;
  isActive: boolean;
}

function display(field: Field, value: unknown): { text: string; numeric: number | null; color?: string } {
  const shown = field.display ? field.display(value) : undefined;
  const numeric = typeof value === 'number' && Number.isFinite(value) ? value : null;
  return { text: shown ? formattedValueToString(shown) : String(value ?? ''), numeric, color: shown?.color };
}

function sortRows(rows: TooltipRow[], sort: SortOrder): TooltipRow[] {
  if (sort === SortOrder.None) return rows;
  const sign = sort === SortOrder.Ascending ? 1 : -1;
  return [...rows].sort((a, b) => sign * ((a.numeric ?? -Infinity) - (b.numeric ?? -Infinity)));
}

/**
 * The tooltip's rows as Grafana's `getContentItems` picks them: the hovered series only in single mode, else
 * every series with a value at the hovered time (sorted, zeros dropped if asked), skipping series hidden from the
 * tooltip. Field 0 of the aligned frame is x; field i is uPlot series i.
 */
export function tooltipRows(
  frame: DataFrame,
  dataIdxs: Array<number | null>,
  seriesIdx: number | null,
  mode: TooltipDisplayMode,
  sort: SortOrder,
  hideZeros: boolean
): TooltipRow[] {
  const rows: TooltipRow[] = [];
  frame.fields.forEach((field, i) => {
    if (i === 0 || field.config.custom?.hideFrom?.tooltip) return;
    if (mode === TooltipDisplayMode.Single && i !== seriesIdx) return;
    const rowIndex = dataIdxs[i];
    if (rowIndex === null || rowIndex === undefined) return;
    const value: unknown = field.values[rowIndex];
    if (hideZeros && value === 0) return;
    const shown = display(field, value);
    rows.push({
      key: String(i),
      label: field.state?.displayName ?? field.name,
      value: shown.text,
      numeric: shown.numeric,
      color: shown.color ?? 'transparent',
      isActive: i === seriesIdx,
    });
  });
  return mode === TooltipDisplayMode.Multi ? sortRows(rows, sort) : rows;
}

interface Props {
  frame: DataFrame;
  dataIdxs: Array<number | null>;
  seriesIdx: number | null;
  mode: TooltipDisplayMode;
  sort: SortOrder;
  hideZeros: boolean;
  maxHeight?: number;
}

/**
 * Grafana's time-series tooltip reduced to what it shows by default: the hovered time as header, then one row per
 * series (colour mark, name, formatted value). Core's VizTooltip header/content components are not exported by
 * @grafana/ui 12, so this draws the same layout with theme tokens; TooltipPlugin2 positions and frames it.
 */
export function TimeSeriesTooltip({ frame, dataIdxs, seriesIdx, mode, sort, hideZeros, maxHeight }: Props) {
  const styles = useStyles2(getStyles);
  const xField = frame.fields[0];
  const xIndex = dataIdxs[0];
  const rows = tooltipRows(frame, dataIdxs, seriesIdx, mode, sort, hideZeros);
  if (!xField || xIndex === null || xIndex === undefined || rows.length === 0) return null;
  return (
    <div className={styles.wrapper} data-testid="core-timeseries-tooltip">
      <div className={styles.header}>{display(xField, xField.values[xIndex]).text}</div>
      <div className={styles.content} style={maxHeight ? { maxHeight, overflowY: 'auto' } : undefined}>
        {rows.map((row) => (
          <div
            key={row.key}
            className={row.isActive && mode === TooltipDisplayMode.Multi ? styles.activeRow : styles.row}
          >
            <span className={styles.mark} style={{ background: row.color }} />
            <span className={styles.label}>{row.label}</span>
            <span className={styles.value}>{row.value}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => {
  const row = css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1), padding: theme.spacing(0.25, 0) });
  return {
    wrapper: css({ display: 'flex', flexDirection: 'column', fontSize: theme.typography.bodySmall.fontSize }),
    header: css({
      padding: theme.spacing(1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      color: theme.colors.text.secondary,
    }),
    content: css({ padding: theme.spacing(1) }),
    row,
    activeRow: css(row, { fontWeight: theme.typography.fontWeightMedium }),
    mark: css({ width: 12, height: 4, borderRadius: theme.shape.radius.default, flexShrink: 0 }),
    label: css({ flexGrow: 1, color: theme.colors.text.secondary, whiteSpace: 'nowrap' }),
    value: css({ fontWeight: theme.typography.fontWeightMedium, whiteSpace: 'nowrap', marginLeft: theme.spacing(2) }),
  };
};
