/**
 * Verifies a Cognito access token as API Gateway's HTTP API JWT authorizer
 * does: RS256 signature against the pool's JWKS, issuer, expiry, and the
 * client id. (aws-jwt-verify refuses http JWKS and local_ pool ids, so this
 * uses node:crypto directly.)
 */
import { createPublicKey, type KeyObject, verify } from 'node:crypto';

export type Claims = Record<string, unknown>;

export class JwtVerifier {
  private keys = new Map<string, KeyObject>();
  constructor(
    private readonly issuer: string,
    private readonly clientId: string,
  ) {}

  private async key(kid: string): Promise<KeyObject | undefined> {
    if (!this.keys.has(kid)) {
      const res = await fetch(`${this.issuer}/.well-known/jwks.json`);
      const { keys } = (await res.json()) as { keys: Array<{ kid: string } & Record<string, unknown>> };
      for (const k of keys) this.keys.set(k.kid, createPublicKey({ key: k as any, format: 'jwk' }));
    }
    return this.keys.get(kid);
  }

  /** Returns the claims, or undefined for any invalid token (the caller answers 401). */
  async verify(token: string, nowSeconds = Date.now() / 1000): Promise<Claims | undefined> {
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as Claims;
      if (header.alg !== 'RS256' || typeof header.kid !== 'string') return undefined;
      const key = await this.key(header.kid);
      if (!key) return undefined;
      const signed = verify(
        'RSA-SHA256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        key,
        Buffer.from(parts[2], 'base64url'),
      );
      if (!signed) return undefined;
      if (claims.iss !== this.issuer) return undefined;
      if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return undefined;
      if (claims.token_use !== 'access') return undefined;
      if (claims.client_id !== this.clientId) return undefined;
      return claims;
    } catch {
      return undefined;
    }
  }
}
