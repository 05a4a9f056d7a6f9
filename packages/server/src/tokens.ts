import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 of a token, hex: the only form in which tokens are stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A session token: 32 random bytes, base64url (43 characters). */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** An API token `fw_<prefix>_<secret>`: the prefix (8 hex) identifies it in lists; the secret is 32 random bytes. */
export function newApiToken(): { token: string; prefix: string } {
  const prefix = randomBytes(4).toString('hex');
  return { token: `fw_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

/** Tokens we accept in `Authorization: Bearer …`: session tokens and API tokens share this alphabet. */
export const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,200}$/;
