import { describe, expect, it } from 'vitest';
import { hashPassword, needsRehash, verifyDummyPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('stores scrypt with N=2^15, r=8, p=1, a 16-byte salt and verifies the right password only', async () => {
    const stored = await hashPassword('correct horse battery staple');
    const parts = stored.split('$');
    expect(parts.slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    expect(Buffer.from(parts[4] ?? '', 'base64url')).toHaveLength(16);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts every hash differently', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')]);
    expect(a).not.toBe(b);
  });

  it('refuses unreadable or hostile stored hashes without throwing', async () => {
    for (const bad of [
      '',
      'plain',
      'bcrypt$1$2$3$4$5',
      'scrypt$3$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA',
      `scrypt$${2 ** 30}$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA`,
      'scrypt$32768$8$1$$',
    ]) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });

  it('the dummy verification for unknown users takes about as long as a real one and never succeeds', async () => {
    const stored = await hashPassword('pw');
    await verifyDummyPassword('warm-up');
    const t0 = performance.now();
    await verifyPassword('wrong', stored);
    const real = performance.now() - t0;
    const t1 = performance.now();
    expect(await verifyDummyPassword('wrong')).toBe(false);
    const dummy = performance.now() - t1;
    expect(dummy).toBeGreaterThan(real / 3);
  });

  it('flags weaker hashes for rehashing', async () => {
    expect(needsRehash(await hashPassword('x', { N: 1024 }))).toBe(true);
    expect(needsRehash(await hashPassword('x'))).toBe(false);
  });
});
