import Fastify from 'fastify';
import { authPlugin, hasScope, scopesForToken } from './auth';

const READ = 'r'.repeat(32);
const INGEST = 'i'.repeat(32);

async function appWith(enabled: boolean) {
  const app = Fastify();
  await app.register(authPlugin, {
    enabled,
    tokens: [
      { token: READ, scopes: ['read'] },
      { token: INGEST, scopes: ['ingest'] },
    ],
  });
  app.get('/public', { config: { scope: 'public' } }, async () => 'ok');
  app.get('/read', async (request) => [...(request.scopes ?? [])]);
  app.post('/ingest', { config: { scope: 'ingest' } }, async () => 'written');
  return app;
}

describe('authPlugin', () => {
  it('lets public routes through without a token', async () => {
    const app = await appWith(true);
    expect((await app.inject({ url: '/public' })).statusCode).toBe(200);
  });

  it('answers 401 without a token and with a wrong one, 403 with a token lacking the scope', async () => {
    const app = await appWith(true);
    const none = await app.inject({ url: '/read' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Bearer');
    expect((await app.inject({ url: '/read', headers: { authorization: `Bearer ${READ}x` } })).statusCode).toBe(401);
    const wrongScope = await app.inject({
      method: 'POST',
      url: '/ingest',
      headers: { authorization: `Bearer ${READ}` },
    });
    expect(wrongScope.statusCode).toBe(403);
    expect(wrongScope.json()).toMatchObject({ message: 'this token lacks the "ingest" scope' });
    expect(wrongScope.body).not.toContain('written');
  });

  it('accepts the right token and exposes its scopes', async () => {
    const app = await appWith(true);
    const ok = await app.inject({ url: '/read', headers: { authorization: `bearer ${READ}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual(['read']);
    const ingest = await app.inject({ method: 'POST', url: '/ingest', headers: { authorization: `Bearer ${INGEST}` } });
    expect(ingest.body).toBe('written');
  });

  it('grants everything when auth is explicitly off', async () => {
    const app = await appWith(false);
    expect((await app.inject({ method: 'POST', url: '/ingest' })).statusCode).toBe(200);
  });
});

describe('scopesForToken', () => {
  it('finds the matching token only', () => {
    const tokens = [{ token: READ, scopes: ['read' as const] }];
    expect(scopesForToken(READ, tokens)).toEqual(new Set(['read']));
    expect(scopesForToken(READ.slice(1), tokens)).toBeUndefined();
    expect(scopesForToken('', tokens)).toBeUndefined();
  });

  it('treats admin as every scope', () => {
    expect(hasScope(new Set(['admin']), 'ingest')).toBe(true);
    expect(hasScope(new Set(['read']), 'ingest')).toBe(false);
  });
});
