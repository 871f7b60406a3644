import { css } from '@emotion/css';
import { getFieldDisplayName, type DataFrame, type GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';
import { cellText } from '../cellText';

export const MAX_ROWS = 200;

interface Props {
  frame: DataFrame;
  testId: string;
}

/** One frame as a plain table: a header per field (display name) and up to 200 rows of raw values. */
export function FramesTable({ frame, testId }: Props) {
  const styles = useStyles2(getStyles);
  const rows = Math.min(frame.length, MAX_ROWS);
  return (
    <div className={styles.wrap}>
      <div className={styles.caption}>
        {frame.name ?? frame.refId ?? 'frame'} · {frame.length} rows · {frame.meta?.type ?? 'untyped'}
      </div>
      <table className={styles.table} data-testid={testId} data-frame-name={frame.name ?? ''} data-rows={frame.length}>
        <thead>
          <tr>
            {frame.fields.map((field) => (
              <th key={field.name} data-field={field.name}>
                {getFieldDisplayName(field, frame)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: rows }, (_, row) => (
            <tr key={row}>
              {frame.fields.map((field) => (
                <td key={field.name}>{cellText(field.values[row])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ marginTop: theme.spacing(1), overflowX: 'auto' }),
  caption: css({ color: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  table: css({
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': { border: `1px solid ${theme.colors.border.weak}`, padding: theme.spacing(0.25, 1), textAlign: 'left' },
    th: { background: theme.colors.background.secondary },
  }),
});
