import { Writable } from 'node:stream';
import { loadConfig } from '../config/config';
import { buildApp } from './app';
import { mlflowFromConfig } from './mlflowFromConfig';

describe('request log', () => {
  it('writes one line per request when it completes, probes only at debug', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    const config = loadConfig({ MLSIGHT_AUTH: 'off', MLSIGHT_MLFLOW_URL: 'http://127.0.0.1:9' });
    const app = await buildApp({ config, mlflow: mlflowFromConfig(config.mlflow), logger: { level: 'info', stream } });
    try {
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      const openapi = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
      expect(openapi.statusCode).toBe(200);
      const requestLines = lines.filter((l) => typeof l.msg === 'string' && /request/.test(l.msg));
      expect(requestLines).toHaveLength(1);
      expect(requestLines[0]).toMatchObject({
        msg: 'request completed',
        req: { method: 'GET', url: '/api/v1/openapi.json' },
        res: { statusCode: 200 },
      });
      expect(typeof requestLines[0]?.responseTime).toBe('number');
    } finally {
      await app.close();
    }
  });
});
