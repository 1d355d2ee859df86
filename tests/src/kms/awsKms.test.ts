import { kmsConformance } from '@sealstream/kms/testing';
import { awsKeyWrapper } from '@sealstream/kms-aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsKmsEmulator, startAwsKms } from '../../emulators/awsKms.ts';
import { caught, unexpected } from './failure.ts';

const uriFor = (emu: AwsKmsEmulator, key: string, creds = emu.credentials): string =>
  `aws:///${key}?AUTH=specified&REGION=${emu.region}&AWS_ACCESS_KEY_ID=${encodeURIComponent(creds.accessKeyId)}` +
  `&AWS_SECRET_ACCESS_KEY=${encodeURIComponent(creds.secretAccessKey)}&AWS_ENDPOINT=${encodeURIComponent(emu.url)}`;

kmsConformance('aws (@aws-sdk/client-kms against the loopback emulator)', async () => {
  const emu = await startAwsKms();
  const a = emu.createKey();
  const b = emu.createKey();
  emu.createAlias('alias/backup', a.keyId);
  const wrongSecret = 'wrong-secret-0123456789abcdefghijklmnop';
  return {
    key: awsKeyWrapper(uriFor(emu, 'alias/backup')),
    sameKeyOtherName: awsKeyWrapper(uriFor(emu, a.arn)),
    otherKey: awsKeyWrapper(uriFor(emu, b.keyId)),
    badCredentials: awsKeyWrapper(
      uriFor(emu, 'alias/backup', {
        accessKeyId: emu.credentials.accessKeyId,
        secretAccessKey: wrongSecret,
      }),
    ),
    secrets: [
      emu.credentials.secretAccessKey,
      encodeURIComponent(emu.credentials.secretAccessKey),
      wrongSecret,
    ],
    setDown: (d) => emu.setDown(d),
    setThrottle: (n) => emu.setThrottle(n),
    close: () => emu.stop(),
  };
});

describe('aws KMS provider against the emulator', () => {
  let emu: AwsKmsEmulator;
  beforeAll(async () => {
    emu = await startAwsKms({ region: 'eu-west-1' });
  });
  afterAll(() => emu.stop());
  const dek = crypto.getRandomValues(new Uint8Array(32));

  it('stores the key ARN KMS returns, not the alias', async () => {
    const k = emu.createKey();
    emu.createAlias('alias/arn-test', k.keyId);
    const w = awsKeyWrapper(uriFor(emu, 'alias/arn-test'));
    const entry = await w.wrap(dek);
    expect(entry.id).toBe(k.arn);
    expect(w.id).toBe(k.arn);
    const byId = awsKeyWrapper(uriFor(emu, k.keyId));
    expect(byId.matches(entry)).toBe(false); // not before KMS has said which key it is
    expect(await byId.identify()).toBe(k.arn);
    expect(byId.matches(entry)).toBe(true);
    expect(await byId.unwrap(entry)).toEqual(dek);
  });

  it('resolves every name of a key to its key ARN, and never matches another key of the region', async () => {
    const k1 = emu.createKey();
    const k2 = emu.createKey();
    emu.createAlias('alias/one', k1.keyId);
    emu.createAlias('alias/two', k2.keyId);
    const aliasArn = (name: string) => `arn:aws:kms:${emu.region}:${emu.accountId}:alias/${name}`;
    const entry1 = await awsKeyWrapper(uriFor(emu, k1.keyId)).wrap(dek);
    const entry2 = await awsKeyWrapper(uriFor(emu, k2.arn)).wrap(dek);
    expect([entry1.id, entry2.id]).toEqual([k1.arn, k2.arn]);
    for (const name of [k1.keyId, k1.arn, 'alias/one', aliasArn('one')]) {
      const w = awsKeyWrapper(uriFor(emu, name));
      expect(await w.identify(), name).toBe(k1.arn);
      expect(w.matches(entry1), name).toBe(true);
      expect(w.matches(entry2), name).toBe(false);
      const wrong = await w.unwrap(entry2).then(unexpected, caught);
      expect(wrong.code, name).toBe('ERR_KMS_WRONG_KEY');
    }
    for (const name of [k2.keyId, 'alias/two', aliasArn('two')]) {
      const w = awsKeyWrapper(uriFor(emu, name));
      expect(w.matches(entry1), `${name} before identify`).toBe(false);
      await w.identify();
      expect(w.matches(entry1), name).toBe(false);
      expect(await w.unwrap(entry2)).toEqual(dek);
    }
    const missing = await awsKeyWrapper(uriFor(emu, 'alias/none'))
      .identify()
      .then(unexpected, caught);
    expect(missing.code).toBe('ERR_KMS_KEY_UNUSABLE');
    expect(missing.message).toContain('NotFoundException');
  });

  it('refuses an asymmetric (SIGN_VERIFY) key with ERR_KMS_KEY_UNUSABLE', async () => {
    const k = emu.createKey({ usage: 'SIGN_VERIFY' });
    const e = await awsKeyWrapper(uriFor(emu, k.arn)).wrap(dek).then(unexpected, caught);
    expect(e.code).toBe('ERR_KMS_KEY_UNUSABLE');
    expect(e.message).toContain('InvalidKeyUsageException');
    expect(e.message).not.toContain(emu.credentials.secretAccessKey);
  });

  it('reports a missing key and a disabled key as ERR_KMS_KEY_UNUSABLE', async () => {
    const missing = await awsKeyWrapper(uriFor(emu, 'alias/nope'))
      .wrap(dek)
      .then(unexpected, caught);
    expect(missing.code).toBe('ERR_KMS_KEY_UNUSABLE');
    expect(missing.message).toContain('NotFoundException');
    const k = emu.createKey();
    const w = awsKeyWrapper(uriFor(emu, k.keyId));
    const entry = await w.wrap(dek);
    emu.setKeyEnabled(k.keyId, false);
    const disabled = await w.unwrap(entry).then(unexpected, caught);
    expect(disabled.code).toBe('ERR_KMS_KEY_UNUSABLE');
    expect(disabled.message).toContain('DisabledException');
  });

  it('maps a key policy denial to ERR_KMS_ACCESS_DENIED', async () => {
    const k = emu.createKey({ deny: true });
    const e = await awsKeyWrapper(uriFor(emu, k.keyId)).wrap(dek).then(unexpected, caught);
    expect(e.code).toBe('ERR_KMS_ACCESS_DENIED');
    expect(e.message).toContain('AccessDeniedException');
  });

  it('maps an unknown access key id to ERR_KMS_ACCESS_DENIED without echoing the secret', async () => {
    const k = emu.createKey();
    const secret = 'an-unknown-secret-value-1234567890';
    const e = await awsKeyWrapper(
      uriFor(emu, k.keyId, { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: secret }),
    )
      .wrap(dek)
      .then(unexpected, caught);
    expect(e.code).toBe('ERR_KMS_ACCESS_DENIED');
    expect(e.message).toContain('UnrecognizedClientException');
    expect(e.message).toContain('AWS_SECRET_ACCESS_KEY=redacted');
    expect(e.message).not.toContain(secret);
  });

  it('refuses a key ARN of another region as the wrong key before calling KMS', async () => {
    const k = emu.createKey();
    const entry = await awsKeyWrapper(uriFor(emu, k.keyId)).wrap(dek);
    const other = awsKeyWrapper(
      `aws:///alias/x?AUTH=specified&REGION=us-west-2&AWS_ACCESS_KEY_ID=A&AWS_SECRET_ACCESS_KEY=s&AWS_ENDPOINT=${encodeURIComponent(emu.url)}`,
    );
    expect(other.matches(entry)).toBe(false);
    const before = emu.requestCount;
    const e = await other.unwrap(entry).then(unexpected, caught);
    expect(e.code).toBe('ERR_KMS_WRONG_KEY');
    expect(emu.requestCount).toBe(before);
  });

  it('gives up on an endpoint that accepts but never answers, per the configured timeouts', async () => {
    const k = emu.createKey();
    const w = awsKeyWrapper(uriFor(emu, k.keyId), { maxAttempts: 2, requestTimeoutMs: 500 });
    const entry = await w.wrap(dek);
    emu.setHang(true);
    try {
      const before = emu.requestCount;
      const started = Date.now();
      const e = await w.unwrap(entry).then(unexpected, caught);
      expect(e.code).toBe('ERR_KMS_UNAVAILABLE');
      expect(emu.requestCount - before).toBe(2);
      // A bound on giving up, not a speed measurement.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      emu.setHang(false);
    }
  });
});
