import type { AnnotationEvent } from '@mlsight/contract';
import { PROMOTE_TAGS } from '@mlsight/contract';
import { PROMOTED_ALIAS_TAG } from '../actions/promote';
import type { ModelVersion } from '../mlflow';
import { toNumber } from './mlflowUtil';
import { versionTag } from './modelVersions';

const inRange = (t: number | undefined, from: number, to: number): t is number =>
  t !== undefined && Number.isFinite(t) && t >= from && t <= to;

/**
 * The `deployment` annotation events of one model version in [from, to]: its registration, and the last promote /
 * rollback through MLSight (actions/promote.ts leaves who, when and why on the version). The two are independent: a
 * version registered weeks ago and promoted today is a promote event in today's range.
 */
export function versionDeploymentEvents(model: string, v: ModelVersion, from: number, to: number): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  const created = toNumber(v.creation_timestamp);
  if (inRange(created, from, to)) {
    events.push({
      time: created,
      title: `${model} v${v.version ?? '?'} registered`,
      text: `by ${v.user_id || 'unknown'} from run ${v.run_id ?? '?'}`,
      tags: ['mlsight', 'deployment', model],
      kind: 'deployment',
      model,
      version: v.version,
    });
  }
  const promotedAt = Date.parse(versionTag(v, PROMOTE_TAGS.promotedAt) ?? '');
  if (inRange(promotedAt, from, to)) {
    const alias = versionTag(v, PROMOTED_ALIAS_TAG) ?? 'alias';
    const previous = versionTag(v, PROMOTE_TAGS.previousVersion);
    events.push({
      time: promotedAt,
      title: `${model} @${alias} → v${v.version ?? '?'}${previous ? ` (was v${previous})` : ''}`,
      text: `by ${versionTag(v, PROMOTE_TAGS.promotedBy) ?? 'unknown'}: ${versionTag(v, PROMOTE_TAGS.reason) ?? ''}`,
      tags: ['mlsight', 'deployment', 'promote', alias, model],
      kind: 'deployment',
      model,
      version: v.version,
    });
  }
  return events;
}
