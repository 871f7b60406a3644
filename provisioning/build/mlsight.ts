/**
 * The builders Grafana's dashboards-as-code SDK cannot provide: MLSight's data-source queries (typed by the
 * contract's `QueryOf<T>`, so a target the proxy would refuse does not compile), the query of an MLSight annotation
 * layer, and MLSight's three panel plugins (options typed by each plugin's own `types.ts`). Each implements the
 * SDK's `cog.Builder` and returns its shapes (`cog.Dataquery`, `dashboard.AnnotationTarget`, `dashboard.Panel`), so
 * it plugs into the SDK's panel and dashboard builders like their own.
 */
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import { type AnnotationTarget, PanelBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import type { AnnotationRequest, QueryOf, QueryType } from '@mlsight/contract';
import type { HeatmapOptions } from '../../panels/drift-heatmap/src/types';
import type { ExplanationOptions } from '../../panels/explanation-bars/src/types';
import {
  DEFAULT_OPTIONS as PROVENANCE_DEFAULTS,
  type ProvenanceOptions,
} from '../../panels/provenance-graph/src/types';
import { MLSIGHT_DATASOURCE } from './dataSources';

/** An MLSight panel query as saved: a contract query (its string fields may name dashboard variables). */
export type MLSightTarget<T extends QueryType = QueryType> = QueryOf<T> & { datasource: typeof MLSIGHT_DATASOURCE };

export class MLSightQueryBuilder<T extends QueryType> implements cog.Builder<cog.Dataquery> {
  constructor(private readonly query: QueryOf<T>) {}

  build(): MLSightTarget<T> & cog.Dataquery {
    // `_implementsDataqueryVariant` is the SDK's mark of a data query; being a function, it stays out of the JSON.
    return Object.assign({}, this.query, { datasource: MLSIGHT_DATASOURCE, _implementsDataqueryVariant: () => {} });
  }
}

export function mlsight<T extends QueryType>(query: QueryOf<T>): MLSightQueryBuilder<T> {
  return new MLSightQueryBuilder(query);
}

/** What an MLSight annotation layer saves; the data source sends it to `POST /api/v1/annotations`. */
export type MLSightAnnotationTarget = { refId: string; queryType: 'annotations' } & Pick<
  AnnotationRequest,
  'model' | 'kinds' | 'limit'
>;

export class MLSightAnnotationTargetBuilder implements cog.Builder<AnnotationTarget> {
  constructor(private readonly target: MLSightAnnotationTarget) {}

  build(): AnnotationTarget {
    // The SDK types every layer's target as the built-in Grafana source's (limit, matchAny, tags, type); Grafana
    // stores whatever query the layer's own data source defines, so MLSight's passes through unchanged.
    return this.target as unknown as AnnotationTarget;
  }
}

export const MLSIGHT_PANEL_TYPES = [
  'mlsight-driftheatmap-panel',
  'mlsight-explanations-panel',
  'mlsight-provenance-panel',
] as const;
export type MLSightPanelType = (typeof MLSIGHT_PANEL_TYPES)[number];

/** Each panel plugin's saved options, as the plugin defines them (its `migrateOptions` reads exactly these). */
interface MLSightPanelOptions {
  'mlsight-driftheatmap-panel': HeatmapOptions;
  'mlsight-explanations-panel': ExplanationOptions;
  'mlsight-provenance-panel': ProvenanceOptions;
}

/**
 * A panel of one of MLSight's plugins: the SDK's generic panel builder with the plugin's typed options and MLSight
 * queries only (the panels draw the frames the proxy answers).
 */
export class MLSightPanelBuilder<P extends MLSightPanelType> extends PanelBuilder {
  constructor(type: P, options: MLSightPanelOptions[P]) {
    super();
    this.type(type).datasource(MLSIGHT_DATASOURCE).options(options);
  }

  override options(options: MLSightPanelOptions[P]): this {
    return super.options(options);
  }

  override withTarget(target: MLSightQueryBuilder<QueryType>): this {
    return super.withTarget(target);
  }
}

/** A provenance/pipeline graph with the panel's own defaults (what a new panel of the plugin starts with). */
export function provenanceGraph(): MLSightPanelBuilder<'mlsight-provenance-panel'> {
  return new MLSightPanelBuilder('mlsight-provenance-panel', { ...PROVENANCE_DEFAULTS });
}
