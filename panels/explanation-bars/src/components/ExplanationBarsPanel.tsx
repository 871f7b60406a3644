import { css } from '@emotion/css';
import type { GrafanaTheme2, PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { useMemo, type ReactElement } from 'react';
import { extent, linear, shownValue, sortItems, topNWithOthers, waterfall } from '../barMath';
import { readExplanation, type BarItem } from '../explanationModel';
import type { ExplanationOptions } from '../types';
import { axisDomain, setsValueDisplay, thresholdColor, valueFormatter } from '../fieldDisplay';

const ROW = 22;
const VALUE_COLUMN = 64;
function labelOf(item: BarItem): string {
  return item.featureValue ? `${item.feature} = ${item.featureValue}` : item.feature;
}

interface Colors {
  positive: string;
  negative: string;
  current: string;
  reference: string;
  text: string;
  axis: string;
}

function colorsOf(theme: GrafanaTheme2): Colors {
  const c = (name: string) => theme.visualization.getColorByName(name);
  return {
    positive: c('red'),
    negative: c('blue'),
    current: c('blue'),
    reference: theme.colors.text.disabled,
    text: theme.colors.text.primary,
    axis: theme.colors.border.medium,
  };
}

/** Global importance bars (reference beside current) or one prediction's waterfall; see README. */
export function ExplanationBarsPanel({
  data,
  width,
  height,
  options,
  id,
  fieldConfig,
}: PanelProps<ExplanationOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const explanation = useMemo(() => readExplanation(data.series, options.view), [data.series, options.view]);

  if (!explanation) {
    return (
      <PanelDataErrorView
        panelId={id}
        data={data}
        fieldConfig={fieldConfig}
        message="No explanations: the query needs to return an explanations_global, explanation_drift or explanations_local frame"
      />
    );
  }

  const colors = colorsOf(theme);
  const formatValue = valueFormatter(explanation.valueField, setsValueDisplay(fieldConfig));
  const local = explanation.kind === 'local';
  // A waterfall must keep signs (it adds up to the prediction); "absolute" then only orders by size.
  const mode = local ? 'signed' : options.valueMode;
  const items = topNWithOthers(sortItems(explanation.items, options.sort, mode), options.topN, mode);
  const labelWidth = Math.min(Math.max(...items.map((it) => labelOf(it).length * 7 + 12)), Math.floor(width * 0.4));
  const valueWidth = options.showValues ? VALUE_COLUMN : 8;
  const x0 = labelWidth;
  const x1 = Math.max(x0 + 10, width - valueWidth - 4);
  const svgHeight = items.length * ROW + ROW;

  let header: string;
  let bars: ReactElement[];
  if (explanation.kind === 'local') {
    const wf = waterfall(explanation.baseValue, items, explanation.prediction);
    const domain = extent(
      [explanation.baseValue, explanation.prediction, ...wf.steps.flatMap((s) => [s.start, s.end])],
      false
    );
    const x = linear(domain, [x0, x1]);
    header = `Base value ${formatValue(explanation.baseValue, false)} → prediction ${formatValue(explanation.prediction, false)}`;
    if (explanation.predictionId) header += ` (prediction ${explanation.predictionId})`;
    if (Math.abs(wf.mismatch) > 1e-9 * Math.max(1, Math.abs(explanation.prediction))) {
      header += `; attributions leave ${formatValue(wf.mismatch, true)} unexplained`;
    }
    bars = wf.steps.map((step, i) => {
      const y = i * ROW + 4;
      const left = Math.min(x(step.start), x(step.end));
      const fill = step.item.value >= 0 ? colors.positive : colors.negative;
      const value = formatValue(step.item.value, true);
      return (
        <g
          key={`${step.item.feature}-${i}`}
          tabIndex={0}
          role="listitem"
          aria-label={`${labelOf(step.item)}: ${value}`}
          className={styles.row}
        >
          <title>{`${labelOf(step.item)}: ${value} (${formatValue(step.start, false)} → ${formatValue(step.end, false)})`}</title>
          <text x={x0 - 6} y={y + ROW / 2} textAnchor="end" className={styles.label} fill={colors.text}>
            {labelOf(step.item)}
          </text>
          <rect
            x={left}
            y={y + 3}
            width={Math.max(1, Math.abs(x(step.end) - x(step.start)))}
            height={ROW - 10}
            fill={fill}
            data-testid="bar"
          />
          {i + 1 < wf.steps.length && (
            <line x1={x(step.end)} x2={x(step.end)} y1={y + ROW - 7} y2={y + ROW + 3} stroke={colors.axis} />
          )}
          {options.showValues && (
            <text x={x1 + 4} y={y + ROW / 2} className={styles.value} fill={colors.text}>
              {value}
            </text>
          )}
        </g>
      );
    });
    const yEnd = wf.steps.length * ROW + 4;
    bars.push(
      <g key="__marks" aria-hidden>
        <line
          x1={x(explanation.baseValue)}
          x2={x(explanation.baseValue)}
          y1={0}
          y2={yEnd}
          stroke={colors.axis}
          strokeDasharray="3 3"
        />
        <line x1={x(explanation.prediction)} x2={x(explanation.prediction)} y1={0} y2={yEnd + 8} stroke={colors.text} />
        <text
          x={x(explanation.prediction)}
          y={yEnd + ROW / 2 + 2}
          textAnchor="middle"
          className={styles.value}
          fill={colors.text}
        >
          {`f(x) = ${formatValue(explanation.prediction, false)}`}
        </text>
      </g>
    );
  } else {
    const values = items.flatMap((it) => [shownValue(it, mode), ...(it.reference === null ? [] : [it.reference])]);
    const scale = linear(axisDomain(explanation.valueField, extent(values, true)), [x0, x1]);
    // A min/max narrower than the data clips bars at the axis ends instead of drawing over the labels.
    const x = (v: number) => Math.min(x1, Math.max(x0, scale(v)));
    const zero = x(0);
    header = explanation.hasReference ? 'Mean |attribution|: current vs reference' : 'Mean |attribution|';
    if (mode === 'signed') header = 'Mean attribution (signed)';
    bars = items.map((item, i) => {
      const y = i * ROW + 4;
      const v = shownValue(item, mode);
      const barHeight = explanation.hasReference ? 9 : ROW - 8;
      const byThreshold = thresholdColor(explanation.valueField, v, theme) ?? colors.current;
      const fill = mode === 'signed' ? (v >= 0 ? colors.positive : colors.negative) : byThreshold;
      const label = `${labelOf(item)}: ${formatValue(v, mode === 'signed')}${item.reference === null ? '' : `, reference ${formatValue(item.reference, false)}`}`;
      return (
        <g key={`${item.feature}-${i}`} tabIndex={0} role="listitem" aria-label={label} className={styles.row}>
          <title>{label}</title>
          <text x={x0 - 6} y={y + ROW / 2} textAnchor="end" className={styles.label} fill={colors.text}>
            {labelOf(item)}
          </text>
          <rect
            x={Math.min(zero, x(v))}
            y={y + 2}
            width={Math.max(1, Math.abs(x(v) - zero))}
            height={barHeight}
            fill={fill}
            data-testid="bar"
          />
          {item.reference !== null && (
            <rect
              x={Math.min(zero, x(item.reference))}
              y={y + 2 + barHeight + 1}
              width={Math.max(1, Math.abs(x(item.reference) - zero))}
              height={5}
              fill={colors.reference}
              data-testid="reference-bar"
            />
          )}
          {options.showValues && (
            <text x={x1 + 4} y={y + ROW / 2} className={styles.value} fill={colors.text}>
              {formatValue(v, mode === 'signed')}
            </text>
          )}
        </g>
      );
    });
    bars.push(
      <line key="__zero" x1={zero} x2={zero} y1={0} y2={items.length * ROW + 4} stroke={colors.axis} aria-hidden />
    );
  }

  return (
    <div className={styles.wrapper} style={{ width, height }}>
      <div className={styles.header}>
        <span>{header}</span>
        {explanation.kind === 'global' && explanation.hasReference && (
          <span className={styles.legend}>
            <span className={styles.swatch} style={{ background: colors.current }} /> current
            <span className={styles.swatch} style={{ background: colors.reference }} /> reference
          </span>
        )}
        {local && (
          <span className={styles.legend}>
            <span className={styles.swatch} style={{ background: colors.positive }} /> raises
            <span className={styles.swatch} style={{ background: colors.negative }} /> lowers
          </span>
        )}
      </div>
      <div className={styles.scroll}>
        <svg
          width={width}
          height={svgHeight}
          role="list"
          aria-label={local ? 'Local explanation' : 'Feature importance'}
        >
          {bars}
        </svg>
      </div>
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    wrapper: css({ display: 'flex', flexDirection: 'column', overflow: 'hidden' }),
    header: css({
      display: 'flex',
      justifyContent: 'space-between',
      gap: theme.spacing(1),
      padding: theme.spacing(0, 0, 0.5, 0),
      color: theme.colors.text.secondary,
      fontSize: theme.typography.bodySmall.fontSize,
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    }),
    legend: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) }),
    swatch: css({ display: 'inline-block', width: 10, height: 10, borderRadius: 2 }),
    scroll: css({ flex: 1, overflowY: 'auto', overflowX: 'hidden' }),
    row: css({
      outline: 'none',
      '&:focus-visible rect, &:hover rect': { stroke: theme.colors.text.primary, strokeWidth: 1 },
    }),
    label: css({ fontSize: theme.typography.bodySmall.fontSize, dominantBaseline: 'middle' }),
    value: css({ fontSize: theme.typography.bodySmall.fontSize, dominantBaseline: 'middle' }),
  };
}
