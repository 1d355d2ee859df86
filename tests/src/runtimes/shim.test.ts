import { describe, expect, it } from 'vitest';
import { bundleTests } from '../../runtimes/bundleTests.ts';
import { runTestsInDeno } from '../../runtimes/runInDeno.ts';
import { runTestsInWorkerd } from '../../runtimes/runInWorkerd.ts';
import type { TestResult } from '../../runtimes/shim/vitest.ts';

// The Deno and workerd runners use a vitest-compatible shim; this proves it reports every
// outcome exactly, so a failing web-tier test cannot pass silently there.
const FIXTURE = 'tests/runtimes/fixtures/shimSelfCheck.fixture.ts';
const EXPECTED: Record<string, TestResult['status']> = {
  'outer > passes': 'pass',
  'outer > fails on a wrong value': 'fail',
  'outer > passes on an expected rejection': 'pass',
  'outer > fails when a rejection is missing': 'fail',
  'outer > is skipped': 'skip',
  'outer > is todo': 'todo',
  'outer > doubles 1 to 2': 'pass',
  'outer > doubles 2 to 4': 'pass',
  'outer > counts beforeEach calls': 'pass',
  'outer > spies': 'pass',
  'outer > fails assertions count': 'fail',
};

function statuses(results: readonly TestResult[]): Record<string, string> {
  return Object.fromEntries(results.map((r) => [r.name, r.status]));
}

describe('runtime test shim', () => {
  it('reports passes, failures, skips and todos exactly in Deno', async () => {
    const { results, run } = await runTestsInDeno(await bundleTests('deno', [FIXTURE]));
    expect(run.stderr).toBe('');
    expect(statuses(results)).toEqual(EXPECTED);
    const wrong = results.find((r) => r.name === 'outer > fails on a wrong value');
    expect(wrong?.error).toMatch(/expected 2 to be 3/);
  });

  it('reports passes, failures, skips and todos exactly in workerd', async () => {
    const results = await runTestsInWorkerd(await bundleTests('workerd', [FIXTURE]), [FIXTURE]);
    expect(statuses(results)).toEqual(EXPECTED);
  });

  it('fails a file that imports a Node built-in, naming it', async () => {
    const results = await runTestsInWorkerd(
      await bundleTests('workerd', ['tests/runtimes/fixtures/nodeImport.fixture.ts']),
      ['tests/runtimes/fixtures/nodeImport.fixture.ts'],
    );
    expect(results).toHaveLength(1);
    expect(results[0]?.status).toBe('fail');
    expect(results[0]?.error).toMatch(
      /Node built-in "node:fs" imported by tests\/runtimes\/fixtures\/nodeImport\.fixture\.ts/,
    );
  });
});
