import {
  buildFrame,
  type DataFrameJSON,
  type QueryOf,
  type QueryResultMetaNotice,
  UNITS,
  withNotice,
} from '@mlsight/contract';
import { fairness, type FairnessObservation, FOUR_FIFTHS, groupCounts } from '../../stats';
import type { StoredValue } from '../../store';
import type { QueryContext } from '../context';
import { requireStore } from '../drift/driftWindows';
import { QueryError } from '../errors';
import { storeVersionOf } from '../explanations/storeVersion';

type FairnessQuery = QueryOf<'fairness'>;

/** Rows read for one fairness query; more are left out with a notice (raw rows are kept for 30 days). */
export const FAIRNESS_ROW_LIMIT = 1_000_000;

/**
 * `region`, `segment.region`, `region=north` or `segment.region=north` → the attribute and an optional reference
 * group (the value after `=`, as the segments variable writes it).
 */
export function parseFairnessSegment(segment: string): { attribute: string; referenceGroup?: string } {
  const eq = segment.indexOf('=');
  const field = (eq < 0 ? segment : segment.slice(0, eq)).trim();
  const attribute = field.startsWith('segment.') ? field.slice('segment.'.length) : field;
  if (attribute === '') throw new QueryError(`segment: name an attribute such as "region", got "${segment}"`);
  if (eq < 0) return { attribute };
  const referenceGroup = segment.slice(eq + 1).trim();
  return referenceGroup === '' ? { attribute } : { attribute, referenceGroup };
}

/** Outcomes compared as text: booleans as 1/0, so `true`, `1` and `"1"` are the same positive outcome. */
function outcomeKey(value: StoredValue | number[] | string | number): string | undefined {
  if (value === null || Array.isArray(value)) return undefined;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value === 'true') return '1';
  if (value === 'false') return '0';
  return String(value);
}

/**
 * `fairness`: per value of a segment attribute, the selection rate (predictions equal to `positiveLabel`, default 1)
 * over every prediction in the window and the true-positive rate over the labelled ones; each group against the
 * reference group (the value after `=` in `segment`, else the most favoured group) with the four-fifths rule, and a
 * summary row with fairlearn's between-groups demographic parity difference, equal-opportunity difference and
 * demographic parity ratio (disparate impact).
 */
export async function fairnessHandler(query: FairnessQuery, ctx: QueryContext): Promise<DataFrameJSON[]> {
  const store = requireStore(ctx, query.queryType);
  const { attribute, referenceGroup } = parseFairnessSegment(query.segment);
  const known = (await store.listSegments(query.model)).map((s) => s.field);
  if (!known.includes(attribute)) {
    const list = known.length > 0 ? `known: ${known.sort().join(', ')}` : 'it has no segment fields';
    throw new QueryError(`segment: model "${query.model}" has no segment attribute "${attribute}" (${list})`, 404);
  }
  const version = await storeVersionOf(query, ctx);
  const window = {
    model: query.model,
    ...(version !== undefined ? { version } : {}),
    fromMs: ctx.window.fromMs,
    toMs: ctx.window.toMs,
    limit: FAIRNESS_ROW_LIMIT,
  };
  const [predictions, labelled] = await Promise.all([
    store.getPredictions(window),
    store.getLabeledPredictions(window),
  ]);
  const labels = new Map(labelled.map((l) => [l.predictionId, l.label]));
  const positive = outcomeKey(query.positiveLabel ?? 1);

  const observations: FairnessObservation[] = [];
  let withoutGroup = 0;
  let withoutPrediction = 0;
  for (const p of predictions) {
    const group = p.segment[attribute];
    if (group === undefined || group === '') {
      withoutGroup++;
      continue;
    }
    const predicted = outcomeKey(p.prediction);
    if (predicted === undefined) {
      withoutPrediction++;
      continue;
    }
    const label = labels.get(p.predictionId);
    observations.push({
      group,
      selected: predicted === positive,
      actualPositive: label === undefined || label === null ? null : outcomeKey(label) === positive,
    });
  }

  const counts = groupCounts(observations);
  if (counts.length === 0) {
    throw new QueryError(
      `segment: no predictions with "${attribute}" in the time range of model "${query.model}"`,
      404
    );
  }
  if (referenceGroup !== undefined && !counts.some((c) => c.group === referenceGroup)) {
    throw new QueryError(`segment: "${attribute}" has no rows with value "${referenceGroup}" in the time range`, 404);
  }
  const result = fairness(counts, referenceGroup !== undefined ? { referenceGroup } : {});

  const notices: QueryResultMetaNotice[] = [];
  if (predictions.length >= FAIRNESS_ROW_LIMIT) {
    notices.push({
      severity: 'warning',
      text: `Only the first ${FAIRNESS_ROW_LIMIT} predictions of the range were read`,
    });
  }
  if (withoutGroup + withoutPrediction > 0) {
    notices.push({
      severity: 'info',
      text: `Left out: ${withoutGroup} predictions without "${attribute}", ${withoutPrediction} without a scalar prediction`,
    });
  }
  const custom = {
    attribute,
    referenceGroup: result.referenceGroup,
    referenceRule: result.referenceRule,
    positiveLabel: query.positiveLabel ?? 1,
    threshold: FOUR_FIFTHS,
    demographicParityDifference: result.demographicParityDifference,
    equalOpportunityDifference: result.equalOpportunityDifference,
    disparateImpactRatio: result.disparateImpactRatio,
    passes80Rule: result.passes80Rule,
  };
  const ratio = { unit: UNITS.ratio, min: 0, max: 1 };
  const groups = result.groups;
  const fourFifths = {
    mode: 'absolute' as const,
    steps: [
      { value: null, color: 'red' },
      { value: FOUR_FIFTHS, color: 'green' },
    ],
  };
  const frames = [
    buildFrame({
      name: 'fairness',
      meta: { preferredVisualisationType: 'table', custom },
      fields: [
        { name: 'group', type: 'string', values: groups.map((g) => g.group), config: { displayName: attribute } },
        { name: 'rows', type: 'number', values: groups.map((g) => g.n), config: { unit: UNITS.count } },
        { name: 'labelled', type: 'number', values: groups.map((g) => g.labelled), config: { unit: UNITS.count } },
        {
          name: 'selection_rate',
          type: 'number',
          values: groups.map((g) => g.selectionRate),
          config: { displayName: 'Selection rate', ...ratio },
        },
        {
          name: 'true_positive_rate',
          type: 'number',
          values: groups.map((g) => g.truePositiveRate),
          config: { displayName: 'TPR', ...ratio },
        },
        {
          name: 'demographic_parity_difference',
          type: 'number',
          values: groups.map((g) => g.demographicParityDifference),
          config: { displayName: 'DPD vs reference', unit: UNITS.ratio },
        },
        {
          name: 'equal_opportunity_difference',
          type: 'number',
          values: groups.map((g) => g.equalOpportunityDifference),
          config: { displayName: 'EOD vs reference', unit: UNITS.ratio },
        },
        {
          name: 'disparate_impact_ratio',
          type: 'number',
          values: groups.map((g) => g.disparateImpactRatio),
          config: { displayName: 'DI ratio', unit: UNITS.none, decimals: 3, thresholds: fourFifths },
        },
        { name: 'passes_80_rule', type: 'boolean', values: groups.map((g) => g.passes80Rule) },
        { name: 'is_reference', type: 'boolean', values: groups.map((g) => g.group === result.referenceGroup) },
      ],
    }),
    buildFrame({
      name: 'fairness_summary',
      meta: { preferredVisualisationType: 'table', custom },
      fields: [
        { name: 'attribute', type: 'string', values: [attribute] },
        { name: 'reference_group', type: 'string', values: [result.referenceGroup] },
        { name: 'groups', type: 'number', values: [groups.length] },
        {
          name: 'demographic_parity_difference',
          type: 'number',
          values: [result.demographicParityDifference],
          config: { displayName: 'Demographic parity difference', unit: UNITS.ratio },
        },
        {
          name: 'equal_opportunity_difference',
          type: 'number',
          values: [result.equalOpportunityDifference],
          config: { displayName: 'Equal opportunity difference', unit: UNITS.ratio },
        },
        {
          name: 'disparate_impact_ratio',
          type: 'number',
          values: [result.disparateImpactRatio],
          config: { displayName: 'Disparate impact ratio', unit: UNITS.none, decimals: 3, thresholds: fourFifths },
        },
        { name: 'passes_80_rule', type: 'boolean', values: [result.passes80Rule] },
      ],
    }),
  ];
  return frames.map((f) => notices.reduce(withNotice, f));
}
