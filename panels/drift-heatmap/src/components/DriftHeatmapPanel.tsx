import { css } from '@emotion/css';
import { dateTimeFormat, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { locationService, PanelDataErrorView } from '@grafana/runtime';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { changeStops, driftStops, makeScale } from '../colorScale';
import { buildDrillDownUrl, isFeatureRow } from '../drillDown';
import { canvasCellBitmap } from '../cellBitmap';
import { drawHeatmap, type DrawColors } from '../drawHeatmap';
import { cellAt, columnAt, computeLayout } from '../heatmapLayout';
import { readHeatmap, type HeatmapModel } from '../heatmapModel';
import { orderRows } from '../rowOrder';
import { tooltipLines } from '../tooltip';
import type { HeatmapOptions } from '../types';
import { HeatmapLegend } from './HeatmapLegend';

type Cell = { row: number; col: number };

const DAY = 86_400_000;

function timeLabelFormat(bucketMs: number): string {
  return bucketMs >= DAY ? 'YYYY-MM-DD' : 'MM-DD HH:mm';
}

let measuringContext: CanvasRenderingContext2D | null | undefined;

/** Text width through a canvas when the browser has one, a per-character estimate otherwise. */
function measure(font: string, texts: readonly string[]): number {
  // One canvas for every measurement: creating one and its context per render costs more than the measuring.
  measuringContext ??= document.createElement('canvas').getContext('2d');
  const ctx = measuringContext;
  if (ctx && typeof ctx.measureText === 'function') {
    ctx.font = font;
    return texts.reduce((m, t) => Math.max(m, ctx.measureText(t).width), 0);
  }
  return texts.reduce((m, t) => Math.max(m, t.length * 7), 0);
}

function drawColors(theme: GrafanaTheme2): DrawColors {
  return {
    empty: theme.colors.background.secondary,
    text: theme.colors.text.secondary,
    outline: theme.colors.text.primary,
    hatch: theme.isDark ? 'rgba(0, 0, 0, 0.55)' : 'rgba(255, 255, 255, 0.75)',
    focus: theme.colors.primary.border,
    markerNew: theme.visualization.getColorByName('green'),
    markerVanished: theme.visualization.getColorByName('red'),
  };
}

function navigate(url: string): void {
  if (/^https?:/i.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
  else locationService.push(url);
}

function describeCell(model: HeatmapModel, cell: Cell, timeZone: string): string {
  return tooltipLines(model, cell.row, cell.col, timeZone)
    .map((l) => `${l.label}: ${l.value}`)
    .join(', ');
}

/** Features (or categories) × time buckets on a canvas; see README for the frame it reads. */
export function DriftHeatmapPanel(props: PanelProps<HeatmapOptions>) {
  const { data, width, height, options, id, fieldConfig, timeZone, replaceVariables, onChangeTimeRange } = props;
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [hover, setHover] = useState<(Cell & { x: number; y: number }) | null>(null);
  const [focus, setFocus] = useState<Cell | null>(null);
  const [brush, setBrush] = useState<{ from: number; to: number } | null>(null);

  const model = useMemo(() => {
    const read = readHeatmap(data.series, options.mode);
    return read && { ...read, rows: orderRows(read.rows, options.rowOrder) };
  }, [data.series, options.mode, options.rowOrder]);

  const legendHeight = options.showLegend ? 28 : 0;
  const plotHeight = Math.max(0, height - legendHeight);
  const font = `${theme.typography.bodySmall.fontSize} ${theme.typography.fontFamily}`;
  const fontSize = 12;

  // Formatted on demand: only every n-th bucket gets a label, and formatting all 720 of a month of hours took ~5 ms.
  const timeLabel = useMemo(() => {
    const format = timeLabelFormat(model?.bucketMs ?? DAY);
    return (col: number) => dateTimeFormat(model?.times[col] ?? 0, { format, timeZone });
  }, [model, timeZone]);
  const layout = useMemo(() => {
    if (!model) return undefined;
    return computeLayout({
      width,
      height: plotHeight,
      rowCount: model.rows.length,
      colCount: model.times.length,
      rowLabelWidth:
        measure(
          font,
          model.rows.map((r) => r.label)
        ) + 8,
      timeLabelWidth: measure(font, [timeLabel(0)]),
      fontSize,
      cellGap: options.cellGap,
    });
  }, [model, width, plotHeight, font, timeLabel, options.cellGap]);

  const scale = useMemo(
    () => (model?.mode === 'category' ? makeScale(changeStops(theme), -1, 1) : makeScale(driftStops(theme), 0, 1)),
    [model?.mode, theme]
  );

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !model || !layout) return;
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(plotHeight * ratio);
    const ctx = canvas.getContext('2d');
    if (!ctx || typeof ctx.fillRect !== 'function') return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawHeatmap(ctx, width, plotHeight, {
      rows: model.rows,
      timeLabel,
      layout,
      scale,
      colors: drawColors(theme),
      font,
      focus,
      brush,
      bitmap: canvasCellBitmap,
    });
  }, [model, layout, scale, theme, font, focus, brush, timeLabel, width, plotHeight]);

  if (!model || !layout) {
    return (
      <PanelDataErrorView
        panelId={id}
        data={data}
        fieldConfig={fieldConfig}
        needsTimeField
        needsNumberField
        message="No drift scores in this time range: the query needs to return a drift_heatmap or category_drift frame"
      />
    );
  }

  const bucketRange = (from: number, to: number) => {
    const a = model.times[Math.min(from, to)] ?? 0;
    const b = (model.times[Math.max(from, to)] ?? a) + model.bucketMs;
    return { from: a, to: b };
  };

  const drillDown = (cell: Cell) => {
    const row = model.rows[cell.row];
    if (!row) return;
    const range = bucketRange(cell.col, cell.col);
    if (model.mode !== 'category' && !isFeatureRow(row.label)) return;
    const feature = model.mode === 'category' ? (model.feature ?? row.label) : row.label;
    const url = buildDrillDownUrl(options.drillDownUrl, { feature, method: row.method, ...range }, (t) =>
      replaceVariables(t)
    );
    if (url) navigate(url);
  };

  const point = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - rect.left, y: e.clientY - rect.top };
  };

  const onMouseMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const p = point(e);
    const cell = cellAt(layout, p.x, p.y);
    setHover(cell && { ...cell, ...p });
    if (brush) setBrush({ from: brush.from, to: columnAt(layout, p.x) });
  };
  const onMouseDown = (e: MouseEvent<HTMLCanvasElement>) => {
    const p = point(e);
    if (cellAt(layout, p.x, p.y)) setBrush({ from: columnAt(layout, p.x), to: columnAt(layout, p.x) });
  };
  const onMouseUp = (e: MouseEvent<HTMLCanvasElement>) => {
    const p = point(e);
    const cell = cellAt(layout, p.x, p.y);
    const current = brush;
    setBrush(null);
    if (!current) return;
    const to = columnAt(layout, p.x);
    if (to !== current.from) onChangeTimeRange(bucketRange(current.from, to));
    else if (cell) drillDown(cell);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const at = focus ?? { row: 0, col: model.times.length - 1 };
    const moves: Record<string, Cell> = {
      ArrowUp: { row: Math.max(0, at.row - 1), col: at.col },
      ArrowDown: { row: Math.min(model.rows.length - 1, at.row + 1), col: at.col },
      ArrowLeft: { row: at.row, col: Math.max(0, at.col - 1) },
      ArrowRight: { row: at.row, col: Math.min(model.times.length - 1, at.col + 1) },
    };
    const next = moves[e.key];
    if (next) {
      e.preventDefault();
      setFocus(next);
    } else if (e.key === 'Enter' && focus) {
      drillDown(focus);
    } else if (e.key === 'Escape') {
      setFocus(null);
    }
  };

  const shown =
    hover ??
    (focus && {
      ...focus,
      x: layout.left + (focus.col + 1) * layout.cellWidth,
      y: layout.top + focus.row * layout.cellHeight,
    });
  const lines = shown ? tooltipLines(model, shown.row, shown.col, timeZone) : [];
  const summary =
    model.mode === 'category'
      ? `Category shares of ${model.feature ?? 'a feature'}: ${model.rows.length} categories × ${model.times.length} buckets`
      : `Drift heatmap: ${model.rows.length} features × ${model.times.length} buckets, ${model.rows.filter((r) => r.cells.drifted.includes(1)).length} features drifted`;

  return (
    <div className={styles.wrapper} style={{ width, height }}>
      <canvas
        ref={canvasRef}
        className={styles.canvas}
        style={{ width, height: plotHeight }}
        role="img"
        aria-label={summary}
        tabIndex={0}
        data-testid="drift-heatmap-canvas"
        onMouseMove={onMouseMove}
        onMouseLeave={() => setHover(null)}
        onMouseDown={onMouseDown}
        onMouseUp={onMouseUp}
        onKeyDown={onKeyDown}
        onBlur={() => setFocus(null)}
      />
      {lines.length > 0 && shown && (
        <div
          className={styles.tooltip}
          role="tooltip"
          style={{
            left: Math.min(shown.x + 12, Math.max(0, width - 260)),
            top: Math.min(shown.y + 12, Math.max(0, plotHeight - 40)),
          }}
        >
          {lines.map((l) => (
            <div key={l.label}>
              <span className={styles.tooltipLabel}>{l.label}</span> {l.value}
            </div>
          ))}
        </div>
      )}
      <div className={styles.srOnly} aria-live="polite">
        {focus ? describeCell(model, focus, timeZone) : ''}
      </div>
      {options.showLegend && <HeatmapLegend mode={model.mode} scale={scale} />}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    wrapper: css({ position: 'relative', overflow: 'hidden' }),
    canvas: css({
      display: 'block',
      cursor: 'crosshair',
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.border}` },
    }),
    tooltip: css({
      position: 'absolute',
      pointerEvents: 'none',
      maxWidth: 260,
      padding: theme.spacing(1),
      background: theme.colors.background.elevated,
      color: theme.colors.text.primary,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      boxShadow: theme.shadows.z2,
      fontSize: theme.typography.bodySmall.fontSize,
      zIndex: 1,
    }),
    tooltipLabel: css({ color: theme.colors.text.secondary }),
    srOnly: css({ position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)' }),
  };
}
