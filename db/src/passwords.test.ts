import { describe, expect, it } from 'vitest';
import { hashPassword, mosquittoPasswordHash, verifyMosquittoPassword, verifyPassword } from './passwords.ts';

describe('password hashes', () => {
  it('verifies an scrypt hash only with the right password', async () => {
    const stored = await hashPassword('river-chief-7');
    expect(stored.startsWith('scrypt$')).toBe(true);
    expect(await verifyPassword('river-chief-7', stored)).toBe(true);
    expect(await verifyPassword('river-chief-8', stored)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });

  it('reads a hash written by mosquitto_passwd 2 (PBKDF2-SHA512, $7$)', async () => {
    // Output of `mosquitto_passwd -b -c pw alice secret` on this project's CI machine.
    const fromMosquitto =
      '$7$101$9yYw+SItfRJIoOn+$cfimbGjfudRbmTkYkFKvMAt7kqZ2/Sje75PGdUnI8vWH9/JixZbwAcSxxRCaFjpm4ak6E2Zey0nHXm5N3pI+hw==';
    expect(await verifyMosquittoPassword('secret', fromMosquitto)).toBe(true);
    expect(await verifyMosquittoPassword('Secret', fromMosquitto)).toBe(false);
  });

  it('writes $7$ hashes in the same shape mosquitto_passwd does', async () => {
    const stored = await mosquittoPasswordHash('wardmap-demo');
    expect(stored).toMatch(/^\$7\$101\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==$/);
    expect(await verifyMosquittoPassword('wardmap-demo', stored)).toBe(true);
    expect(await verifyMosquittoPassword('wardmap-demo', '$7$0$$')).toBe(false);
  });
});
