import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import type { ColorScale } from '../colorScale';

interface Props {
  mode: 'drift' | 'category';
  scale: ColorScale;
}

function gradient(scale: ColorScale, from: number, to: number): string {
  const stops = Array.from({ length: 11 }, (_, i) => scale.css(from + ((to - from) * i) / 10));
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/** Colour bar with the threshold marked (drift) or the no-change midpoint (category), plus cell markings. */
export function HeatmapLegend({ mode, scale }: Props) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const drift = mode === 'drift';
  return (
    <div className={styles.legend} aria-label="Legend">
      <span>{drift ? 'no drift' : 'share fell'}</span>
      <span className={styles.bar} style={{ background: drift ? gradient(scale, 0, 1) : gradient(scale, -1, 1) }}>
        <span className={styles.tick} title={drift ? 'threshold' : 'unchanged'} />
      </span>
      <span>{drift ? '2× threshold' : 'share rose'}</span>
      <span className={styles.mark}>{drift ? '| threshold' : '| unchanged'}</span>
      {/* Swatches beside their words: hatching or a frame drawn over text makes the text unreadable. */}
      {drift && (
        <span className={styles.item}>
          <span className={styles.outlined} aria-hidden />
          drifted
        </span>
      )}
      <span className={styles.item}>
        <span className={styles.hatched} aria-hidden />
        too few rows
      </span>
      {!drift && (
        <>
          <span style={{ color: theme.visualization.getColorByName('green') }}>■ new category</span>
          <span style={{ color: theme.visualization.getColorByName('red') }}>■ vanished category</span>
        </>
      )}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    legend: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1),
      height: 28,
      overflow: 'hidden',
      whiteSpace: 'nowrap',
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
    }),
    bar: css({ position: 'relative', display: 'inline-block', width: 120, height: 10, borderRadius: 2 }),
    tick: css({
      position: 'absolute',
      left: '50%',
      top: -3,
      width: 2,
      height: 16,
      background: theme.colors.text.primary,
    }),
    mark: css({ color: theme.colors.text.primary }),
    item: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
    outlined: css({ width: 14, height: 12, border: `2px solid ${theme.colors.text.primary}` }),
    hatched: css({
      width: 14,
      height: 12,
      border: `1px solid ${theme.colors.border.medium}`,
      backgroundImage: `repeating-linear-gradient(45deg, ${theme.colors.text.secondary} 0 1px, transparent 1px 4px)`,
    }),
  };
}
