import { css } from '@emotion/css';
import { colorManipulator, type GrafanaTheme2, type PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { Button, useStyles2, useTheme2 } from '@grafana/ui';
import { NODE_KINDS, STATUS_COLORS, type NodeKind, type NodeStatus } from '@mlsight/contract';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { readGraph, type ProvEdge, type ProvNode } from '../graphModel';
import { buildView, type GraphView } from '../graphView';
import { NODE_HEIGHT, NODE_WIDTH } from '../layout';
import { lineageOf } from '../paths';
import { migrateOptions, type ProvenanceOptions } from '../types';
import { fitToView, panBy, zoomAt, type Viewport } from '../viewport';
import { DetailsDrawer } from './DetailsDrawer';
import { NodeShape } from './NodeShape';

const LEGEND_HEIGHT = 24;
const ZOOM_STEP = 1.25;

/** Theme colour of a node status; a failed node must stand out at a glance. */
export function statusColor(theme: GrafanaTheme2, status: NodeStatus): string {
  const name = STATUS_COLORS[status];
  return name === 'text' ? theme.colors.text.secondary : theme.visualization.getColorByName(name);
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function pathOf(points: Array<[number, number]>): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
}

/** Whether an edge lies on the highlighted node's upstream or downstream path. */
function onPath(e: ProvEdge, active: string, up: Set<string>, down: Set<string>): boolean {
  const upstream = up.has(e.source) && (e.target === active || up.has(e.target));
  const downstream = down.has(e.target) && (e.source === active || down.has(e.source));
  return upstream || downstream;
}

type Built = { view: GraphView } | { error: string } | undefined;

/** Lineage DAG from node-graph frames, laid out with d3-dag and drawn in SVG; see README. */
export function ProvenanceGraphPanel(props: PanelProps<ProvenanceOptions>) {
  const { data, width, height, id, fieldConfig } = props;
  // Saved options may predate a field (Grafana migrates only on plugin version changes): fill in defaults.
  const options = useMemo(() => migrateOptions(props.options), [props.options]);
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const svgRef = useRef<SVGSVGElement>(null);
  const [active, setActive] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [viewport, setViewport] = useState<Viewport>({ k: 1, x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number } | null>(null);

  const built = useMemo<Built>(() => {
    const graph = readGraph(data.series);
    if (!graph) return undefined;
    try {
      return { view: buildView(graph, options) };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  }, [data.series, options]);
  const view = built && 'view' in built ? built.view : undefined;

  const legendHeight = options.showLegend ? LEGEND_HEIGHT : 0;
  const viewHeight = Math.max(0, height - legendHeight);
  const fit = () => view && setViewport(fitToView(view.layout.width, view.layout.height, width, viewHeight));
  useEffect(() => {
    if (view) setViewport(fitToView(view.layout.width, view.layout.height, width, viewHeight));
  }, [view, width, viewHeight]);

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const rect = svg.getBoundingClientRect();
      setViewport((v) =>
        zoomAt(v, e.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, e.clientX - rect.left, e.clientY - rect.top)
      );
    };
    svg.addEventListener('wheel', onWheel, { passive: false });
    return () => svg.removeEventListener('wheel', onWheel);
  }, [view]);

  const lineage = useMemo(() => (active && view ? lineageOf(active, view.graph.edges) : undefined), [active, view]);

  if (!built || !view) {
    return (
      <PanelDataErrorView
        panelId={id}
        data={data}
        fieldConfig={fieldConfig}
        message={
          built && 'error' in built
            ? `The graph could not be laid out: ${built.error}`
            : 'No lineage: the query needs to return node-graph frames (provenance or pipeline_runs)'
        }
      />
    );
  }

  const byId = new Map(view.graph.nodes.map((n) => [n.id, n]));
  const selectedNode = selected ? byId.get(selected) : undefined;
  const lit = (nodeId: string) =>
    !active || nodeId === active || lineage?.upstream.has(nodeId) || lineage?.downstream.has(nodeId);
  const zoomCentre = (factor: number) => setViewport((v) => zoomAt(v, factor, width / 2, viewHeight / 2));

  const onPointerDown = (e: PointerEvent<SVGSVGElement>) => {
    if (e.target === e.currentTarget || (e.target as Element).getAttribute('data-background') !== null) {
      drag.current = { x: e.clientX, y: e.clientY };
    }
  };
  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const from = drag.current;
    if (!from) return;
    drag.current = { x: e.clientX, y: e.clientY };
    setViewport((v) => panBy(v, e.clientX - from.x, e.clientY - from.y));
  };
  const onKeyDown = (e: KeyboardEvent<SVGSVGElement>) => {
    const pans: Record<string, [number, number]> = {
      ArrowLeft: [40, 0],
      ArrowRight: [-40, 0],
      ArrowUp: [0, 40],
      ArrowDown: [0, -40],
    };
    const pan = e.target === e.currentTarget ? pans[e.key] : undefined;
    if (pan) setViewport((v) => panBy(v, pan[0], pan[1]));
    else if (e.key === '+' || e.key === '=') zoomCentre(ZOOM_STEP);
    else if (e.key === '-') zoomCentre(1 / ZOOM_STEP);
    else if (e.key === '0') fit();
    else return;
    e.preventDefault();
  };

  const nodeEl = (node: ProvNode) => {
    const at = view.layout.nodes.get(node.id);
    if (!at) return null;
    const color = statusColor(theme, node.status);
    const failed = node.status === 'failed';
    const fill = failed ? colorManipulator.alpha(color, 0.25) : theme.colors.background.primary;
    const second = node.mainStat || node.subtitle || node.kind.replace('_', ' ');
    return (
      <g
        key={node.id}
        transform={`translate(${at.x},${at.y})`}
        className={styles.node}
        opacity={lit(node.id) ? 1 : 0.25}
        role="button"
        tabIndex={0}
        aria-label={`${node.kind.replace('_', ' ')} ${node.title}, ${node.status}${node.mainStat ? `, ${node.mainStat}` : ''}`}
        data-testid={`node-${node.id}`}
        data-status={node.status}
        onMouseEnter={() => setActive(node.id)}
        onMouseLeave={() => setActive(null)}
        onFocus={() => setActive(node.id)}
        onBlur={() => setActive(null)}
        onClick={() => setSelected(node.id)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            setSelected(node.id);
          }
        }}
      >
        <NodeShape
          kind={node.kind}
          width={NODE_WIDTH}
          height={NODE_HEIGHT}
          fill={fill}
          stroke={color}
          strokeWidth={failed ? 3 : 1.5}
        />
        <text y={-4} textAnchor="middle" className={styles.title} fill={theme.colors.text.primary}>
          {truncate(node.title, 22)}
        </text>
        <text y={12} textAnchor="middle" className={styles.stat} fill={failed ? color : theme.colors.text.secondary}>
          {truncate(failed ? `failed${second ? ` · ${second}` : ''}` : second, 26)}
        </text>
      </g>
    );
  };

  const kinds = NODE_KINDS.filter((k) => view.graph.nodes.some((n) => n.kind === k));
  const statuses = [...new Set(view.graph.nodes.map((n) => n.status))];

  return (
    <div className={styles.wrapper} style={{ width, height }}>
      <div className={styles.toolbar}>
        <Button size="sm" variant="secondary" fill="outline" onClick={() => zoomCentre(ZOOM_STEP)} aria-label="Zoom in">
          +
        </Button>
        <Button
          size="sm"
          variant="secondary"
          fill="outline"
          onClick={() => zoomCentre(1 / ZOOM_STEP)}
          aria-label="Zoom out"
        >
          −
        </Button>
        <Button size="sm" variant="secondary" fill="outline" onClick={fit} aria-label="Fit to view">
          Fit
        </Button>
      </div>
      {view.notes.length > 0 && (
        <div className={styles.notes} role="status" title={view.notes.join('\n')}>
          {view.notes.length === 1 ? view.notes[0] : `${view.notes[0]} (+${view.notes.length - 1} more)`}
        </div>
      )}
      <svg
        ref={svgRef}
        width={width}
        height={viewHeight}
        className={styles.svg}
        role="group"
        aria-label={`Lineage graph: ${view.graph.nodes.length} nodes, ${view.graph.edges.length} edges; arrow keys pan, + and - zoom, 0 fits`}
        tabIndex={0}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={() => (drag.current = null)}
        onPointerLeave={() => (drag.current = null)}
        onKeyDown={onKeyDown}
        data-layout={view.layout.operators}
      >
        <defs>
          <marker
            id={`mlsight-arrow-${id}`}
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto-start-reverse"
          >
            <path d="M0,0 L10,5 L0,10 z" fill={theme.colors.text.secondary} />
          </marker>
        </defs>
        <rect width={width} height={viewHeight} fill="transparent" data-background="" />
        <g transform={`translate(${viewport.x},${viewport.y}) scale(${viewport.k})`} data-testid="viewport">
          {view.layout.edges.map((e) => {
            const highlighted =
              active !== null && lineage !== undefined && onPath(e, active, lineage.upstream, lineage.downstream);
            return (
              <path
                key={`${e.source}->${e.target}`}
                d={pathOf(e.points)}
                fill="none"
                stroke={highlighted ? theme.colors.primary.main : theme.colors.border.strong}
                strokeWidth={highlighted ? 2.5 : 1.2}
                opacity={active && !highlighted ? 0.2 : 1}
                markerEnd={`url(#mlsight-arrow-${id})`}
                data-testid="edge"
                data-highlighted={highlighted ? 'true' : 'false'}
              />
            );
          })}
          {view.graph.nodes.map(nodeEl)}
        </g>
      </svg>
      {options.showLegend && (
        <div className={styles.legend} aria-label="Legend">
          {kinds.map((k: NodeKind) => (
            <span key={k} className={styles.legendItem}>
              <svg
                width={26}
                height={14}
                viewBox={`${-NODE_WIDTH / 2 - 4} ${-NODE_HEIGHT / 2 - 4} ${NODE_WIDTH + 8} ${NODE_HEIGHT + 8}`}
                aria-hidden
                preserveAspectRatio="none"
              >
                <NodeShape
                  kind={k}
                  width={NODE_WIDTH}
                  height={NODE_HEIGHT}
                  fill="none"
                  stroke={theme.colors.text.secondary}
                  strokeWidth={8}
                />
              </svg>
              {k.replace('_', ' ')}
            </span>
          ))}
          {statuses.map((s) => (
            <span key={s} className={styles.legendItem}>
              <span className={styles.dot} style={{ background: statusColor(theme, s) }} />
              {s}
            </span>
          ))}
        </div>
      )}
      {selectedNode && (
        <DetailsDrawer
          node={selectedNode}
          mlflowBaseUrl={options.mlflowBaseUrl}
          statusColor={statusColor(theme, selectedNode.status)}
          onClose={() => setSelected(null)}
        />
      )}
    </div>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    wrapper: css({ position: 'relative', overflow: 'hidden' }),
    svg: css({
      display: 'block',
      cursor: 'grab',
      touchAction: 'none',
      '&:focus-visible': { outline: `2px solid ${theme.colors.primary.border}` },
    }),
    toolbar: css({ position: 'absolute', top: 4, left: 4, display: 'flex', gap: 4, zIndex: 1 }),
    notes: css({
      position: 'absolute',
      top: 4,
      left: 120,
      right: 4,
      zIndex: 1,
      color: theme.colors.warning.text,
      fontSize: theme.typography.bodySmall.fontSize,
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    }),
    node: css({
      cursor: 'pointer',
      outline: 'none',
      '&:focus-visible > :first-child': { strokeDasharray: '4 2' },
    }),
    title: css({ fontSize: 12, fontWeight: theme.typography.fontWeightMedium, pointerEvents: 'none' }),
    stat: css({ fontSize: 11, pointerEvents: 'none' }),
    legend: css({
      display: 'flex',
      alignItems: 'center',
      gap: theme.spacing(1.5),
      height: LEGEND_HEIGHT,
      overflow: 'hidden',
      whiteSpace: 'nowrap',
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
    }),
    legendItem: css({ display: 'inline-flex', alignItems: 'center', gap: 4 }),
    dot: css({ display: 'inline-block', width: 10, height: 10, borderRadius: '50%' }),
  };
}
