import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { IconButton, useStyles2 } from '@grafana/ui';
import { useEffect, useRef } from 'react';
import { joinLink } from '../../../shared/src/safeLink';
import type { ProvNode } from '../graphModel';

interface Props {
  node: ProvNode;
  mlflowBaseUrl: string;
  statusColor: string;
  onClose: () => void;
}

const KIND_LABELS: Record<ProvNode['kind'], string> = {
  dataset: 'Dataset',
  pipeline: 'Pipeline run',
  step: 'Step run',
  logged_model: 'Logged model',
  model_version: 'Model version',
  alias: 'Alias / deployment',
};

/** Side drawer with a node's facts (params, metrics, digest, who/when) and its MLflow link (http(s)/relative only). */
export function DetailsDrawer({ node, mlflowBaseUrl, statusColor, onClose }: Props) {
  const styles = useStyles2(getStyles);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [node.id]);
  const href = joinLink(mlflowBaseUrl, node.link);
  const all: Array<[string, string]> = [
    ['Kind', KIND_LABELS[node.kind]],
    ['Status', node.status],
    ['Subtitle', node.subtitle],
    ['Main stat', node.mainStat],
    ['Secondary stat', node.secondaryStat],
    ...node.details,
  ];
  const facts = all.filter(([, v]) => v !== '');
  return (
    <aside
      ref={ref}
      className={styles.drawer}
      role="dialog"
      aria-label={`Details of ${node.title}`}
      tabIndex={-1}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      <div className={styles.header}>
        <span className={styles.dot} style={{ background: statusColor }} />
        <h3 className={styles.title}>{node.title}</h3>
        <IconButton name="times" aria-label="Close details" onClick={onClose} />
      </div>
      <dl className={styles.list}>
        {facts.map(([k, v], i) => (
          <div key={`${k}-${i}`} className={styles.fact}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {href && (
        <a className={styles.link} href={href} target="_blank" rel="noopener noreferrer">
          Open in MLflow
        </a>
      )}
    </aside>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    drawer: css({
      position: 'absolute',
      top: 0,
      right: 0,
      bottom: 0,
      width: 'min(320px, 80%)',
      overflowY: 'auto',
      padding: theme.spacing(1.5),
      background: theme.colors.background.elevated,
      borderLeft: `1px solid ${theme.colors.border.medium}`,
      boxShadow: theme.shadows.z3,
      zIndex: 2,
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.border}` },
    }),
    header: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(1) }),
    dot: css({ width: 10, height: 10, borderRadius: '50%', flex: 'none' }),
    title: css({ flex: 1, margin: 0, fontSize: theme.typography.h5.fontSize, overflowWrap: 'anywhere' }),
    list: css({ margin: theme.spacing(1, 0) }),
    fact: css({
      display: 'grid',
      gridTemplateColumns: '40% 60%',
      gap: theme.spacing(1),
      padding: theme.spacing(0.25, 0),
      fontSize: theme.typography.bodySmall.fontSize,
      dt: { color: theme.colors.text.secondary, overflowWrap: 'anywhere' },
      dd: { margin: 0, overflowWrap: 'anywhere' },
    }),
    link: css({ color: theme.colors.text.link, textDecoration: 'underline' }),
  };
}
