import type { DataFrameJSON, QueryOf } from '@mlsight/contract';
import { QueryError } from '../queries/errors';
import { fairnessHandler } from '../queries/quality';
import { type MonitorSample, sample } from './gaugeCatalog';
import { type WholeWindowDeps, wholeWindowContext } from './performanceContributor';
import type { SnapshotContributor } from './snapshot';

/** Label-cardinality guards: attributes per model, and groups per attribute, that become gauge series. */
export const MAX_FAIRNESS_ATTRIBUTES = 10;
export const MAX_FAIRNESS_GROUPS = 50;

function column(frames: readonly DataFrameJSON[], frameName: string, field: string): unknown[] {
  const frame = frames.find((f) => f.schema.name === frameName);
  const i = frame?.schema.fields.findIndex((f) => f.name === field) ?? -1;
  return i < 0 ? [] : (frame?.data.values[i] ?? []);
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Fairness gauges for every segment attribute the model's predictions carry (bounded in number and groups), as the
 * `fairness` handler computes them over the monitor window: each group's disparate-impact ratio against the most
 * favoured group, and the attribute's demographic-parity difference.
 */
export function fairnessContributor(deps: WholeWindowDeps): SnapshotContributor {
  return {
    name: 'fairness',
    async contribute(target) {
      const ctx = wholeWindowContext(target, deps);
      const attributes = (await target.store.listSegments(target.model))
        .filter((s) => s.values.length >= 2 && s.values.length <= MAX_FAIRNESS_GROUPS)
        .slice(0, MAX_FAIRNESS_ATTRIBUTES);
      const out: MonitorSample[] = [];
      for (const { field: attribute } of attributes) {
        const query = {
          refId: 'monitor',
          queryType: 'fairness',
          model: target.model,
          segment: attribute,
          ...(target.version ? { version: target.version } : {}),
        } as QueryOf<'fairness'>;
        let frames: DataFrameJSON[];
        try {
          frames = await fairnessHandler(query, ctx);
        } catch (err) {
          // No predictions of this attribute in the window, or no positive class to compare: nothing to export.
          if (err instanceof QueryError && [404, 422].includes(err.status)) continue;
          throw err;
        }
        const labels = { model: target.model, version: target.version ?? '', attribute };
        const groups = column(frames, 'fairness', 'group');
        const ratios = column(frames, 'fairness', 'disparate_impact_ratio');
        groups.forEach((group, i) => {
          const ratio = ratios[i];
          if (typeof group === 'string' && finite(ratio)) {
            out.push(sample('mlsight_fairness_disparate_impact_ratio', { ...labels, group }, ratio));
          }
        });
        const dpd = column(frames, 'fairness_summary', 'demographic_parity_difference')[0];
        if (finite(dpd)) out.push(sample('mlsight_fairness_demographic_parity_difference', labels, dpd));
      }
      return out;
    },
  };
}
