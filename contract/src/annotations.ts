import { z } from 'zod';
import { TimeInputSchema } from './request';

export const ANNOTATION_KINDS = ['deployment', 'alias_change', 'retrain', 'drift_alert'] as const;
export type AnnotationKind = (typeof ANNOTATION_KINDS)[number];

/** `POST /api/v1/annotations`. */
export const AnnotationRequestSchema = z.object({
  from: TimeInputSchema,
  to: TimeInputSchema,
  model: z.string().min(1).max(256).optional(),
  kinds: z.array(z.enum(ANNOTATION_KINDS)).optional(),
  limit: z.number().int().positive().max(10000).optional(),
});
export type AnnotationRequest = z.infer<typeof AnnotationRequestSchema>;

/** One event as Grafana draws it on a time axis. */
export interface AnnotationEvent {
  time: number;
  timeEnd?: number;
  title: string;
  text: string;
  tags: string[];
  kind: AnnotationKind;
  model?: string;
  version?: string;
}
