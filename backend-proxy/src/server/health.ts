import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { MlflowClient } from '../mlflow';
import type { ProxyMetrics } from './metrics';

/** Anything readiness depends on besides MLflow (the drift store). */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const CheckResult = z.object({ status: z.enum(['ok', 'down']), latencyMs: z.number(), detail: z.string().optional() });

async function probe(run: () => Promise<void>): Promise<z.infer<typeof CheckResult>> {
  const started = performance.now();
  try {
    await run();
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), detail: (err as Error).message };
  }
}

/** `/healthz` says the process is up; `/readyz` checks every dependency and says which one is down. */
export const healthRoutes: FastifyPluginAsyncZod<{
  mlflow: MlflowClient;
  checks: ReadinessCheck[];
  metrics: ProxyMetrics;
}> = async (app, opts) => {
  app.get(
    '/healthz',
    {
      config: { scope: 'public' },
      schema: { summary: 'Liveness', tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } },
    },
    async () => ({ status: 'ok' as const })
  );
  const ReadyBody = z.object({ status: z.enum(['ok', 'degraded']), checks: z.record(z.string(), CheckResult) });
  app.get(
    '/readyz',
    {
      config: { scope: 'public' },
      schema: { summary: 'Readiness per dependency', tags: ['health'], response: { 200: ReadyBody, 503: ReadyBody } },
    },
    async (_request, reply) => {
      const entries = await Promise.all([
        probe(() => opts.mlflow.ping()).then((r) => ['mlflow', r] as const),
        ...opts.checks.map((c) => probe(() => c.check()).then((r) => [c.name, r] as const)),
      ]);
      const checks = Object.fromEntries(entries);
      for (const [name, result] of entries)
        opts.metrics.dependencyUp.set({ dependency: name }, result.status === 'ok' ? 1 : 0);
      const ok = entries.every(([, r]) => r.status === 'ok');
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', checks });
    }
  );
};
