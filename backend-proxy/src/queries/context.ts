import type { DataFrameJSON, QueryOf, QueryType, TimeWindow } from '@mlsight/contract';
import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../config/config';
import type { MlflowCallContext, MlflowClient } from '../mlflow';
import type { FleetMonitorState } from '../monitor/fleetMonitorState';
import type { DriftStore } from '../store';

/** What a handler may read while answering one query. */
export interface QueryContext {
  window: TimeWindow;
  mlflow: MlflowClient;
  /** Filled by the MLflow client when it served cached data because MLflow was down. */
  mlflowCall: MlflowCallContext;
  /** The drift store; absent only in tests of MLflow-backed handlers. */
  store?: DriftStore;
  config: AppConfig;
  log: FastifyBaseLogger;
  /** The monitor's latest run, digested for the fleet (alerts, CBPE); absent before its first run or when off. */
  monitor?: { state: FleetMonitorState; runAtMs: number };
}

export type QueryHandler<T extends QueryType> = (query: QueryOf<T>, ctx: QueryContext) => Promise<DataFrameJSON[]>;

/** One handler per query type; a type missing here fails the build. */
export type QueryHandlers = { [K in QueryType]: QueryHandler<K> };
