import argon2 from 'argon2';
import { afterAll, describe, expect, it } from 'vitest';
import { createPasswordHasher } from './passwords.js';

describe('password hasher', () => {
  const hasher = createPasswordHasher(1);
  afterAll(() => hasher.close());

  it('hashes with argon2id at OWASP parameters and verifies only the right password', async () => {
    const phc = await hasher.hash('a-long-password-1');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hasher.verify(phc, 'a-long-password-1')).toBe(true);
    expect(await hasher.verify(phc, 'a-long-password-2')).toBe(false);
    for (const junk of ['', 'not a hash', '$argon2id$v=19$m=x,t=2,p=1$AAAA$AAAA', phc.replace('m=19456', 'm=1')]) {
      expect(await hasher.verify(junk, 'a-long-password-1')).toBe(false);
    }
  });

  it('reads hashes made by the argon2 package, and the package reads ours (existing accounts keep working)', async () => {
    const theirs = await argon2.hash('an-old-password-1', { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    expect(await hasher.verify(theirs, 'an-old-password-1')).toBe(true);
    expect(await hasher.verify(theirs, 'an-old-password-2')).toBe(false);
    expect(await argon2.verify(await hasher.hash('a-new-password-1'), 'a-new-password-1')).toBe(true);
  });

  it('runs one hash at a time per unit of concurrency; the rest queue', async () => {
    const jobs = Array.from({ length: 4 }, (_, i) => hasher.hash(`queued-password-${i}`));
    expect(hasher.pending()).toBe(4);
    await Promise.all(jobs);
    expect(hasher.pending()).toBe(0);
  });
});
