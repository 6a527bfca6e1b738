/** Share-link passwords (issue 17, item 7): a slow salted hash, verified in constant time. */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { hashPassword, verifyPassword } from '../../functions/lib/passwords.ts';

describe('share-link passwords', () => {
  it('stores scrypt with its own salt; only the same password verifies', async () => {
    const a = await hashPassword('Clave-de-paso-1');
    const b = await hashPassword('Clave-de-paso-1');
    assert.match(a, /^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    assert.notEqual(a, b, 'a new salt each time');
    assert.equal(await verifyPassword('Clave-de-paso-1', a), true);
    assert.equal(await verifyPassword('Clave-de-paso-2', a), false);
    assert.equal(await verifyPassword('Clave-de-paso-1', 'not-a-hash'), false);
    // The same text in either Unicode form.
    const nfd = await hashPassword('Contrasen\u0303a-1');
    assert.equal(await verifyPassword('Contraseña-1', nfd), true);
  });
});
