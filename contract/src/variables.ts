import { z } from 'zod';

export const VARIABLE_KINDS = ['models', 'versions', 'aliases', 'features', 'segments', 'experiments', 'runs'] as const;
export type VariableKind = (typeof VARIABLE_KINDS)[number];

/** Grafana's `MetricFindValue`: what a template-variable query returns. */
export interface MetricFindValue {
  text: string;
  value: string;
}

/** Query string of `GET /api/v1/variables/{kind}`. `model` scopes versions, aliases, features, segments and runs. */
export const VariableQuerySchema = z.object({
  model: z.string().min(1).max(256).optional(),
  experiment: z.string().min(1).max(256).optional(),
  /** Substring filter, case-insensitive. */
  search: z.string().max(256).optional(),
});
export type VariableQuery = z.infer<typeof VariableQuerySchema>;

/** Which kinds need a model to be answered. */
export const VARIABLE_NEEDS_MODEL: Record<VariableKind, boolean> = {
  models: false,
  versions: true,
  aliases: true,
  features: true,
  segments: true,
  experiments: false,
  /** The runs that trained the model's registered versions. */
  runs: true,
};
