import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

interface Assertion {
  ancestorTitles: string[];
  title: string;
  status: string;
}

/** The conformance suite run (in a child vitest) over deliberately broken drivers. */
describe('storageConformance catches broken drivers', () => {
  let results: Assertion[] = [];
  let output = '';

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'conformance-self-'));
    const outputFile = join(dir, 'report.json');
    const vitest = join(
      dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
      'vitest.mjs',
    );
    const config = fileURLToPath(
      new URL('./fixtures/vitest.fixture.config.node.ts', import.meta.url),
    );
    output = await new Promise<string>((resolve) => {
      execFile(
        process.execPath,
        [
          vitest,
          'run',
          '--config',
          config,
          '--reporter=default',
          '--reporter=json',
          `--outputFile.json=${outputFile}`,
        ],
        {
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, SEALSTREAM_CONFORMANCE_LIST_PAGING: '' },
        },
        (_err, stdout, stderr) => resolve(`${stdout}\n${stderr}`), // the run fails on purpose
      );
    });
    const report = JSON.parse(await readFile(outputFile, 'utf8')) as {
      testResults: { assertionResults: Assertion[] }[];
    };
    results = report.testResults.flatMap((f) => f.assertionResults);
    await rm(dir, { recursive: true, force: true });
  }, 180_000);

  const statusOf = (suite: string, title: string) =>
    results.find(
      (r) => r.ancestorTitles[0] === `storage conformance: ${suite}` && r.title === title,
    )?.status;
  const failedIn = (suite: string) =>
    results
      .filter(
        (r) => r.ancestorTitles[0] === `storage conformance: ${suite}` && r.status === 'failed',
      )
      .map((r) => r.title);

  it('ran every fixture suite', () => {
    for (const s of [
      'broken: commits on abort',
      'broken: unsorted list',
      'broken: ignores ifAbsent',
      'broken: no clamping',
      'broken: lax keys',
      'single-put',
      'broken: capabilities differ from the declared ones',
    ]) {
      expect(
        results.some((r) => r.ancestorTitles[0] === `storage conformance: ${s}`),
        s,
      ).toBe(true);
    }
  });
  it('fails a driver that commits on abort', () => {
    expect(statusOf('broken: commits on abort', 'writer.abort() after some data')).toBe('failed');
    expect(statusOf('broken: commits on abort', 'an erroring source mid-write')).toBe('failed');
  });
  it('fails a driver that lists out of order', () => {
    expect(
      statusOf(
        'broken: unsorted list',
        'yields every key under a prefix, nested ones included, in lexicographic order',
      ),
    ).toBe('failed');
  });
  it('fails a driver that ignores ifAbsent', () => {
    expect(
      statusOf(
        'broken: ignores ifAbsent',
        'fails with ERR_STORAGE_EXISTS for an existing key and keeps the first content',
      ),
    ).toBe('failed');
    expect(
      statusOf(
        'broken: ignores ifAbsent',
        'two concurrent ifAbsent writers of one key: exactly one wins (atomicCreate)',
      ),
    ).toBe('failed');
  });
  it('fails a driver that does not clamp ranges', () => {
    expect(failedIn('broken: no clamping')).toContain('end past the size is clamped');
    expect(statusOf('broken: no clamping', 'start and end (half-open)')).toBe('passed');
  });
  it('fails a driver that accepts invalid keys', () => {
    expect(failedIn('broken: lax keys')).toEqual([
      'rejects invalid keys in every method and creates nothing',
    ]);
  });
  it('passes a correct single-put driver and prints its reason and the paging notice loudly', () => {
    expect(failedIn('single-put')).toEqual([]);
    expect(
      statusOf(
        'single-put',
        'two concurrent ifAbsent writers of one key: exactly one wins (atomicCreate)',
      ),
    ).toBe('passed');
    expect(output).toContain('FIXTURE-REASON-42');
    expect(output).toContain('racing single-request writers instead');
    expect(output).toMatch(/NOT RUN: list paging past 1000 keys/);
    expect(results.some((r) => r.title.startsWith('list pages past 1000 keys (NOT RUN'))).toBe(
      true,
    );
    expect(
      statusOf(
        'single-put',
        'racing streamed (multi-part) writers (not supported: atomicCreate=single-put: FIXTURE-REASON-42)',
      ),
    ).toBe('passed');
  });
  it('fails a driver whose capabilities differ from the ones its test declares', () => {
    expect(failedIn('broken: capabilities differ from the declared ones')).toEqual([
      'racing concurrent writers (not supported: atomicCreate=false: y)',
    ]);
  });
});
