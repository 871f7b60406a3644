import { css } from '@emotion/css';
import { applyFieldOverrides, LoadingState, type GrafanaTheme2 } from '@grafana/data';
import {
  sceneGraph,
  SceneObjectBase,
  VariableDependencyConfig,
  type SceneComponentProps,
  type SceneObject,
  type SceneObjectState,
} from '@grafana/scenes';
import { Alert, LoadingPlaceholder, Table, useStyles2, useTheme2 } from '@grafana/ui';
import React, { useMemo } from 'react';
import { useMeasure } from 'react-use';
import { fleetFieldConfig, fleetLinkVariables } from '../fleet/fleetFieldConfig';
import {
  FLEET_DRIFT_SHARE_FRAME,
  FLEET_FRAME,
  fleetTableFrame,
  frameNamed,
  isFleetStatusFilter,
  type FleetFilter,
} from '../fleet/fleetFrame';
import { selectors } from '../selectors';

export const SEARCH_VARIABLE = 'search';
export const STATUS_VARIABLE = 'status';

const TABLE_HEIGHT = 560;

type FleetTableState = SceneObjectState;

/**
 * The fleet overview table: the `fleet` frame filtered by the search and status variables, worst first, status in the
 * theme's colours, a drift-share sparkline per model and a link to each model's page. @grafana/ui's Table sorts by any
 * column and filters by value from its header.
 */
export class FleetTable extends SceneObjectBase<FleetTableState> {
  static Component = FleetTableRenderer;
  // Re-render when the search or status variable changes (their values live in the URL as var-search / var-status).
  protected override _variableDependency = new VariableDependencyConfig(this, {
    variableNames: [SEARCH_VARIABLE, STATUS_VARIABLE],
    onReferencedVariableValueChanged: () => this.forceRender(),
  });
}

/** The filter the variables hold now (an unknown status value means all). */
export function currentFilter(model: SceneObject): FleetFilter {
  const search = sceneGraph.interpolate(model, `\${${SEARCH_VARIABLE}}`);
  const status = sceneGraph.interpolate(model, `\${${STATUS_VARIABLE}}`);
  return { search, status: isFleetStatusFilter(status) ? status : 'all' };
}

function FleetTableRenderer({ model }: SceneComponentProps<FleetTable>) {
  const { data } = sceneGraph.getData(model).useState();
  const theme = useTheme2();
  const styles = useStyles2(getStyles);
  const [ref, { width }] = useMeasure<HTMLDivElement>();
  const { search, status } = currentFilter(model);
  const series = data?.series;
  const fleet = series ? frameNamed(series, FLEET_FRAME) : undefined;
  const trend = series ? frameNamed(series, FLEET_DRIFT_SHARE_FRAME) : undefined;

  const frame = useMemo(() => {
    if (!fleet) return undefined;
    const [withDisplay] = applyFieldOverrides({
      data: [fleetTableFrame(fleet, trend, { search, status })],
      fieldConfig: fleetFieldConfig(),
      replaceVariables: fleetLinkVariables,
      theme,
      timeZone: 'browser',
    });
    return withDisplay;
  }, [fleet, trend, search, status, theme]);

  const error = data?.errors?.[0]?.message ?? data?.error?.message;
  return (
    <div ref={ref} className={styles.container} data-testid={selectors.fleet.table}>
      {error && (
        <Alert severity="error" title="The fleet query failed">
          {error}
        </Alert>
      )}
      {!frame && !error && data?.state === LoadingState.Loading && <LoadingPlaceholder text="Loading the fleet…" />}
      {!frame && !error && data?.state === LoadingState.Done && (
        <Alert severity="info" title="No fleet answer">
          The data source answered without a fleet frame: is the proxy recent enough to answer the fleet query?
        </Alert>
      )}
      {frame && width > 0 && (
        <div data-testid={selectors.fleet.rows} data-rows={frame.length}>
          <Table data={frame} width={width} height={TABLE_HEIGHT} resizable={false} />
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  container: css({ width: '100%', minHeight: theme.spacing(10) }),
});
