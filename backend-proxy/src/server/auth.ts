import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiToken, Scope } from '../config/config';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Scope a route needs; `public` routes (health) need no token. Routes without one need `read`. */
    scope?: Scope | 'public';
  }
  interface FastifyRequest {
    /** Scopes of the caller's token; null only before the auth hook ran. */
    scopes: ReadonlySet<Scope> | null;
  }
}

export interface AuthOptions {
  enabled: boolean;
  tokens: readonly ApiToken[];
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Finds the scopes of a presented token. Every configured token is compared (no early exit) on equal-length
 * SHA-256 digests, so neither timing nor length tells an attacker how close a guess was.
 */
export function scopesForToken(presented: string, tokens: readonly ApiToken[]): Set<Scope> | undefined {
  const presentedDigest = digest(presented);
  let match: ApiToken | undefined;
  for (const candidate of tokens) {
    if (timingSafeEqual(presentedDigest, digest(candidate.token)) && match === undefined) match = candidate;
  }
  return match ? new Set(match.scopes) : undefined;
}

export function hasScope(scopes: ReadonlySet<Scope>, needed: Scope): boolean {
  return scopes.has('admin') || scopes.has(needed);
}

function deny(reply: FastifyReply, statusCode: 401 | 403, message: string) {
  const headers: Record<string, string> = statusCode === 401 ? { 'www-authenticate': 'Bearer realm="mlsight"' } : {};
  return reply
    .code(statusCode)
    .headers(headers)
    .send({
      statusCode,
      error: statusCode === 401 ? 'Unauthorized' : 'Forbidden',
      message,
    });
}

/** Bearer-token auth with scopes, as shared infrastructure for every route (hence fastify-plugin). */
export const authPlugin = fp<AuthOptions>(
  async (app, opts) => {
    // Fastify wants null for reference-type decorations; the hook below sets a fresh Set on every request.
    app.decorateRequest('scopes', null);
    app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      request.scopes = new Set<Scope>();
      const needed = request.routeOptions.config?.scope ?? 'read';
      if (needed === 'public') return;
      if (!opts.enabled) {
        request.scopes = new Set<Scope>(['admin']);
        return;
      }
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
      if (!match?.[1]) return deny(reply, 401, 'missing bearer token (send "Authorization: Bearer <token>")');
      const scopes = scopesForToken(match[1], opts.tokens);
      if (!scopes) return deny(reply, 401, 'invalid bearer token');
      if (!hasScope(scopes, needed)) return deny(reply, 403, `this token lacks the "${needed}" scope`);
      request.scopes = scopes;
    });
  },
  { name: 'mlsight-auth' }
);
