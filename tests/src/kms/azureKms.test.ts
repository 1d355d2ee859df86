import { constants, createHash, publicEncrypt, verify } from 'node:crypto';
import { kmsConformance } from '@sealstream/kms/testing';
import { azureKeyWrapper } from '@sealstream/kms-azure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureKeyVaultEmulator, startAzureKeyVault } from '../../emulators/azureKeyVault.ts';
import { caught, unexpected } from './failure.ts';

const uriFor = (
  emu: AzureKeyVaultEmulator,
  key: { name: string; version: string },
  secret = emu.credentials.clientSecret,
): string =>
  `azure-kms:///${key.name}/${key.version}?AZURE_TENANT_ID=${emu.credentials.tenantId}&AZURE_CLIENT_ID=${emu.credentials.clientId}` +
  `&AZURE_CLIENT_SECRET=${encodeURIComponent(secret)}&AZURE_VAULT_URL=${encodeURIComponent(emu.vaultUrl)}&AZURE_AUTHORITY_HOST=${encodeURIComponent(emu.authorityHost)}`;

kmsConformance('azure-kms (@azure/keyvault-keys against the loopback HTTPS emulator)', async () => {
  const emu = await startAzureKeyVault();
  const a = emu.createKey();
  const b = emu.createKey();
  const wrongSecret = 'Wr0ng~secret-value-0123456789abcdef';
  const opts = { ca: emu.ca };
  return {
    key: azureKeyWrapper(uriFor(emu, a), opts),
    otherKey: azureKeyWrapper(uriFor(emu, b), opts),
    badCredentials: azureKeyWrapper(uriFor(emu, a, wrongSecret), opts),
    secrets: [
      emu.credentials.clientSecret,
      encodeURIComponent(emu.credentials.clientSecret),
      wrongSecret,
    ],
    setDown: (d) => emu.setDown(d),
    setThrottle: (n) => emu.setThrottle(n),
    close: () => emu.stop(),
  };
});

describe('azure-kms provider against the emulator', () => {
  let emu: AzureKeyVaultEmulator;
  beforeAll(async () => {
    emu = await startAzureKeyVault();
  });
  afterAll(() => emu.stop());
  const dek = crypto.getRandomValues(new Uint8Array(32));

  it('wraps with RSA-OAEP-256 in the vault and stores the kid the vault returns', async () => {
    const k = emu.createKey();
    const w = azureKeyWrapper(uriFor(emu, k), { ca: emu.ca });
    const entry = await w.wrap(dek);
    expect(entry.id).toBe(k.kid);
    expect(entry.params).toMatchObject({ alg: 'RSA-OAEP-256', sigAlg: 'RS256' });
    expect(entry.wrapped.length).toBe(256);
    expect(await w.unwrap(entry)).toEqual(dek);
    expect(emu.tokensIssued).toBeGreaterThan(0);
    // The signature is RS256 by the key over label ‖ 0 ‖ SHA-256(context) ‖ wrapped, as specified.
    const context = new TextEncoder().encode('chain-1');
    const bound = await w.wrap(dek, context);
    const message = Buffer.concat([
      Buffer.from('sealstream/v2/azure-key-entry\0'),
      createHash('sha256').update(context).digest(),
      bound.wrapped,
    ]);
    const sig = Buffer.from(String(bound.params?.sig), 'base64url');
    expect(verify('sha256', message, k.publicKey, sig)).toBe(true);
  });

  it('refuses an entry made with the public key alone: unsigned, or with a signature of other bytes', async () => {
    const k = emu.createKey();
    const w = azureKeyWrapper(uriFor(emu, k), { ca: emu.ca });
    const context = new TextEncoder().encode('chain-1');
    const genuine = await w.wrap(dek, context);
    // What a party holding only the public key can make: its own data key, wrapped as we wrap.
    const mine = crypto.getRandomValues(new Uint8Array(32));
    const forged = publicEncrypt(
      { key: k.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
      Buffer.concat([mine, createHash('sha256').update(context).digest()]),
    );
    const attempts = [
      { ...genuine, wrapped: new Uint8Array(forged), params: { alg: 'RSA-OAEP-256' } },
      { ...genuine, wrapped: new Uint8Array(forged) }, // the genuine entry's signature
      { ...genuine, params: { alg: 'RSA-OAEP-256' } }, // the signature dropped
      { ...genuine, params: { ...genuine.params, sig: 'AAAA' } },
    ];
    for (const entry of attempts) {
      const e = await w.unwrap(entry, context).then(unexpected, caught);
      expect(e.code).toBe('ERR_KMS_BAD_WRAPPED_KEY');
      expect(e.message).toMatch(/not signed by the key|signature does not verify/);
    }
    // The genuine entry still opens.
    expect(await w.unwrap(genuine, context)).toEqual(dek);
  });

  it('refuses an EC key (cannot wrap) with ERR_KMS_KEY_UNUSABLE', async () => {
    const k = emu.createKey({ kty: 'EC' });
    const e = await azureKeyWrapper(uriFor(emu, k), { ca: emu.ca })
      .wrap(dek)
      .then(unexpected, caught);
    expect(e.code).toBe('ERR_KMS_KEY_UNUSABLE');
    expect(e.message).toContain('AZURE_CLIENT_SECRET=redacted');
    expect(e.message).not.toContain(emu.credentials.clientSecret);
  });

  it('maps RBAC denial to ERR_KMS_ACCESS_DENIED and a missing key version to ERR_KMS_KEY_UNUSABLE', async () => {
    const denied = await azureKeyWrapper(uriFor(emu, emu.createKey({ deny: true })), {
      ca: emu.ca,
    })
      .wrap(dek)
      .then(unexpected, caught);
    expect(denied.code).toBe('ERR_KMS_ACCESS_DENIED');
    const missing = await azureKeyWrapper(uriFor(emu, { name: 'nope', version: '0'.repeat(32) }), {
      ca: emu.ca,
    })
      .wrap(dek)
      .then(unexpected, caught);
    expect(missing.code).toBe('ERR_KMS_KEY_UNUSABLE');
  });

  it('fails TLS to a vault whose certificate is not trusted, as unavailable', async () => {
    const e = await azureKeyWrapper(uriFor(emu, emu.createKey()), { maxAttempts: 1 })
      .wrap(dek)
      .then(unexpected, caught);
    expect(['ERR_KMS_UNAVAILABLE', 'ERR_KMS_ACCESS_DENIED']).toContain(e.code);
    expect(e.message).toMatch(/certificate|self.signed/i);
  });

  it('gives up on a vault that accepts but never answers, per the configured deadline', async () => {
    const k = emu.createKey();
    const w = azureKeyWrapper(uriFor(emu, k), { ca: emu.ca, maxAttempts: 2, timeoutMs: 1500 });
    const entry = await w.wrap(dek);
    emu.setHang(true);
    try {
      const started = Date.now();
      const e = await w.unwrap(entry).then(unexpected, caught);
      expect(e.code, e.message).toBe('ERR_KMS_UNAVAILABLE');
      // A bound on giving up, not a speed measurement.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      emu.setHang(false);
    }
  });
});
