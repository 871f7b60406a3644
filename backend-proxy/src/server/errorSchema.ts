import type { ApiError } from '@mlsight/contract';
import { z } from 'zod';

/** The contract's `ApiError` as a route schema, so every route's OpenAPI document describes its error answers alike. */
export const ApiErrorSchema = z.object({
  statusCode: z.number(),
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  errorId: z.string().optional(),
}) satisfies z.ZodType<ApiError>;
