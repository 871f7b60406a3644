import { css } from '@emotion/css';
import { intervalToAbbreviatedDurationString, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { BigValueColorMode, BigValueGraphMode, BigValueJustifyMode, BigValueTextMode } from '@grafana/schema';
import { Alert, BigValue, Icon, LoadingPlaceholder, useStyles2, useTheme2, type IconName } from '@grafana/ui';
import { useEffect, useMemo, useState } from 'react';
import { selectAlerts } from './alertFilters';
import { fetchAlerts, fetchErrorMessage } from './promAlerts';
import type { AlertListOptions, PromAlert } from './types';

type Loaded = { state: 'loading' } | { state: 'done'; alerts: PromAlert[] } | { state: 'error'; message: string };

const STATE_ICON: Record<PromAlert['state'], IconName> = {
  firing: 'exclamation-circle',
  pending: 'circle',
  inactive: 'check-circle',
};

/** "firing for 12m", as Grafana's list says how long an alert has been in its state. */
export function stateDuration(alert: PromAlert, now: number): string {
  const since = alert.activeAt ? Date.parse(alert.activeAt) : NaN;
  if (Number.isNaN(since) || since > now) return alert.state;
  return `${alert.state} for ${intervalToAbbreviatedDurationString({ start: new Date(since), end: new Date(now) })}`;
}

function labelsShown(alert: PromAlert): Array<[string, string]> {
  return Object.entries(alert.labels)
    .filter(([name]) => name !== 'alertname')
    .sort(([a], [b]) => a.localeCompare(b));
}

function useAlerts(refreshKey: unknown): Loaded {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  useEffect(() => {
    let cancelled = false;
    fetchAlerts()
      .then((alerts) => !cancelled && setLoaded({ state: 'done', alerts }))
      .catch((err: unknown) => !cancelled && setLoaded({ state: 'error', message: fetchErrorMessage(err) }));
    return () => {
      cancelled = true;
    };
  }, [refreshKey]);
  return loaded;
}

/**
 * Grafana's alert list, reading the alerts of the Prometheus that evaluates MLSight's rules (the host has no
 * Grafana-managed alerting): filtered by state, name and instance labels, sorted and capped as the options say;
 * each alert with its state, name, how long it has been in that state, its labels and summary. Stat view shows the
 * count. Every text is rendered as text. Re-read whenever the dashboard's time range changes (refresh).
 */
export function AlertListPanel({ options, replaceVariables, timeRange, width, height }: PanelProps<AlertListOptions>) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  const loaded = useAlerts(timeRange);
  const selected = useMemo(() => {
    if (loaded.state !== 'done') return loaded;
    try {
      return {
        state: 'done' as const,
        alerts: selectAlerts(loaded.alerts, options, replaceVariables(options.alertInstanceLabelFilter)),
      };
    } catch (err) {
      return { state: 'error' as const, message: err instanceof Error ? err.message : String(err) };
    }
  }, [loaded, options, replaceVariables]);

  if (selected.state === 'loading') return <LoadingPlaceholder text="Loading..." />;
  if (selected.state === 'error') {
    return (
      <Alert severity="error" title="Failed to load alerts">
        {selected.message}
      </Alert>
    );
  }
  if (options.viewMode === 'stat') {
    const count = selected.alerts.length;
    return (
      <BigValue
        width={width}
        height={height}
        theme={theme}
        colorMode={BigValueColorMode.Value}
        graphMode={BigValueGraphMode.None}
        justifyMode={BigValueJustifyMode.Auto}
        textMode={BigValueTextMode.ValueAndName}
        value={{ text: String(count), numeric: count, title: 'Alerts', color: theme.colors.text.primary }}
      />
    );
  }
  if (selected.alerts.length === 0) return <div className={styles.noAlerts}>No alerts</div>;
  const now = Date.now();
  return (
    <ol className={styles.list} data-testid="core-alertlist">
      {selected.alerts.map((alert, i) => (
        <li key={`${alert.labels.alertname ?? ''}-${i}`} className={styles.item} data-state={alert.state}>
          <Icon name={STATE_ICON[alert.state]} className={styles.stateIcon[alert.state]} />
          <div className={styles.body}>
            <div className={styles.title}>
              <span className={styles.name}>{alert.labels.alertname ?? '(no alertname)'}</span>
              <span className={styles.stateIcon[alert.state]} title={alert.activeAt}>
                {stateDuration(alert, now)}
              </span>
            </div>
            <div className={styles.labels}>
              {labelsShown(alert).map(([name, value]) => (
                <span key={name} className={styles.label}>
                  {name}={value}
                </span>
              ))}
            </div>
            {alert.annotations.summary && <div className={styles.summary}>{alert.annotations.summary}</div>}
          </div>
        </li>
      ))}
    </ol>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  list: css({ listStyle: 'none', margin: 0, padding: 0, height: '100%', overflowY: 'auto' }),
  item: css({
    display: 'flex',
    gap: theme.spacing(1),
    padding: theme.spacing(1),
    marginBottom: theme.spacing(0.5),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
  }),
  stateIcon: {
    firing: css({ color: theme.colors.error.text }),
    pending: css({ color: theme.colors.warning.text }),
    inactive: css({ color: theme.colors.success.text }),
  },
  body: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5), minWidth: 0 }),
  title: css({ display: 'flex', gap: theme.spacing(1), alignItems: 'baseline', flexWrap: 'wrap' }),
  name: css({ fontWeight: theme.typography.fontWeightMedium }),
  labels: css({ display: 'flex', flexWrap: 'wrap', gap: theme.spacing(0.5) }),
  label: css({
    padding: theme.spacing(0, 0.5),
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
  }),
  summary: css({ color: theme.colors.text.secondary }),
  noAlerts: css({ padding: theme.spacing(1), color: theme.colors.text.secondary }),
});
