/**
 * A small vitest-compatible test API for runtimes where vitest itself does not run (Deno and
 * workerd). The bundler (`tests/runtimes/bundleTests.ts`) aliases `vitest` to this module, so a
 * test file written for vitest runs unchanged: `describe` / `it` / `test` (with `.skip`, `.todo`,
 * `.each`, `.for`, `.skipIf`, `.runIf`, `.concurrent`, `.sequential`), the four hooks, and
 * vitest's own `expect` (the `@vitest/expect` chai plugins, so every jest matcher behaves exactly
 * as under vitest) plus `vi.fn` / `vi.spyOn`.
 *
 * What it does not do (a test that needs it fails with a message naming the missing feature):
 * snapshots, fake timers, module mocking.
 *
 * @example
 * ```ts
 * import { describe, it, expect, runFiles } from './vitest.ts';
 * const results = await runFiles([['a.test.ts', async () => {
 *   describe('math', () => it('adds', () => expect(1 + 1).toBe(2)));
 * }]]);
 * console.log(results[0]?.status); // 'pass'
 * ```
 */
import {
  ASYMMETRIC_MATCHERS_OBJECT,
  addCustomEqualityTesters,
  ChaiStyleAssertions,
  customMatchers,
  GLOBAL_EXPECT,
  getState,
  JestAsymmetricMatchers,
  JestChaiExpect,
  JestExtend,
  setState,
} from '@vitest/expect';
import * as spy from '@vitest/spy';
import * as chai from 'chai';

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(ChaiStyleAssertions);
chai.use(JestAsymmetricMatchers);

type Fn = () => unknown;
type Hook = () => unknown;

interface TestCase {
  kind: 'test';
  name: string;
  fn: Fn | undefined;
  mode: 'run' | 'skip' | 'todo' | 'fails';
  timeout: number;
}
interface Suite {
  kind: 'suite';
  name: string;
  mode: 'run' | 'skip';
  children: (Suite | TestCase)[];
  beforeAll: Hook[];
  afterAll: Hook[];
  beforeEach: Hook[];
  afterEach: Hook[];
}

/** One test's outcome, as printed by the runners and compared by the interop tests. */
export interface TestResult {
  file: string;
  name: string;
  status: 'pass' | 'fail' | 'skip' | 'todo';
  ms: number;
  error?: string;
}

const DEFAULT_TIMEOUT = 60_000;

function newSuite(name: string, mode: Suite['mode']): Suite {
  return {
    kind: 'suite',
    name,
    mode,
    children: [],
    beforeAll: [],
    afterAll: [],
    beforeEach: [],
    afterEach: [],
  };
}

let current: Suite = newSuite('', 'run');

function format(name: string, args: unknown[], index: number): string {
  let i = 0;
  let out = name.replace(/%[sdifjoO#%]/g, (m) => {
    if (m === '%%') return '%';
    if (m === '%#') return String(index);
    const v = args[i++];
    return typeof v === 'string'
      ? v
      : m === '%d' || m === '%i' || m === '%f'
        ? String(Number(v))
        : safeString(v);
  });
  const first = args[0];
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    out = out.replace(/\$([\w.]+)/g, (_, key: string) =>
      safeString((first as Record<string, unknown>)[key]),
    );
  }
  return out;
}

function safeString(v: unknown): string {
  try {
    return typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  } catch {
    return String(v);
  }
}

function parseArgs(a: unknown, b: unknown): { fn: Fn | undefined; timeout: number } {
  if (typeof a === 'function')
    return {
      fn: a as Fn,
      timeout:
        typeof b === 'number' ? b : ((b as { timeout?: number })?.timeout ?? DEFAULT_TIMEOUT),
    };
  if (typeof b === 'function')
    return {
      fn: b as Fn,
      timeout:
        (a as { timeout?: number } | undefined)?.timeout ??
        (typeof a === 'number' ? a : DEFAULT_TIMEOUT),
    };
  return { fn: undefined, timeout: DEFAULT_TIMEOUT };
}

function addTest(name: string, a: unknown, b: unknown, mode: TestCase['mode']): void {
  const { fn, timeout } = parseArgs(a, b);
  current.children.push({
    kind: 'test',
    name,
    fn,
    mode: fn === undefined ? 'todo' : mode,
    timeout,
  });
}

function addSuite(name: string, a: unknown, b: unknown, mode: Suite['mode']): void {
  const { fn } = parseArgs(a, b);
  const suite = newSuite(name, mode);
  current.children.push(suite);
  const parent = current;
  current = suite;
  try {
    const r = fn?.();
    if (r instanceof Promise)
      throw new Error(
        `describe('${name}') returned a promise: async suite bodies are not supported by the runtime shim`,
      );
  } finally {
    current = parent;
  }
}

type Adder = (name: string, a?: unknown, b?: unknown) => void;
interface Api extends Adder {
  skip: Adder;
  only: Adder;
  todo: Adder;
  fails: Adder;
  concurrent: Api;
  sequential: Api;
  skipIf(cond: unknown): Adder;
  runIf(cond: unknown): Adder;
  each(table: readonly unknown[]): Adder;
  for(table: readonly unknown[]): Adder;
}

function makeApi(
  add: (name: string, a: unknown, b: unknown, mode: 'run' | 'skip' | 'todo' | 'fails') => void,
  spreadEach: boolean,
): Api {
  const api = ((name: string, a?: unknown, b?: unknown) => add(name, a, b, 'run')) as Api;
  api.skip = (name, a, b) => add(name, a, b, 'skip');
  // `.only` is forbidden by the house rules; run it like a normal test rather than hide others.
  api.only = (name, a, b) => add(name, a, b, 'run');
  api.todo = (name) => add(name, undefined, undefined, 'todo');
  api.fails = (name, a, b) => add(name, a, b, 'fails');
  api.concurrent = api;
  api.sequential = api;
  api.skipIf = (cond) => (name, a, b) => add(name, a, b, cond ? 'skip' : 'run');
  api.runIf = (cond) => (name, a, b) => add(name, a, b, cond ? 'run' : 'skip');
  const table =
    (spread: boolean) =>
    (rows: readonly unknown[]): Adder =>
    (name, a, b) => {
      rows.forEach((row, index) => {
        const args = spread && Array.isArray(row) ? row : [row];
        const { fn, timeout } = parseArgs(a, b);
        const bound =
          fn === undefined
            ? undefined
            : (...extra: unknown[]) => (fn as (...x: unknown[]) => unknown)(...args, ...extra);
        add(format(name, args, index), bound, timeout, 'run');
      });
    };
  api.each = table(spreadEach);
  api.for = table(false);
  return api;
}

/** Registers a test, like vitest's `it`. */
export const it: Api = makeApi((name, a, b, mode) => addTest(name, a, b, mode), true);
/** Alias of {@link it}. */
export const test: Api = it;
/** Registers a suite, like vitest's `describe`. */
export const describe: Api = makeApi(
  (name, a, b, mode) => addSuite(name, a, b, mode === 'skip' ? 'skip' : 'run'),
  true,
);
/** Alias of {@link describe}. */
export const suite: Api = describe;

/** Runs `fn` once before the tests of the current suite. */
export function beforeAll(fn: Hook): void {
  current.beforeAll.push(fn);
}
/** Runs `fn` once after the tests of the current suite. */
export function afterAll(fn: Hook): void {
  current.afterAll.push(fn);
}
/** Runs `fn` before every test of the current suite (and nested suites). */
export function beforeEach(fn: Hook): void {
  current.beforeEach.push(fn);
}
/** Runs `fn` after every test of the current suite (and nested suites). */
export function afterEach(fn: Hook): void {
  current.afterEach.push(fn);
}
/** Runs `fn` after the current test (vitest's `onTestFinished`, approximately). */
export function onTestFinished(fn: Hook): void {
  pendingFinished.push(fn);
}
let pendingFinished: Hook[] = [];

type Expect = ((value: unknown, message?: string) => Chai.Assertion) & Record<string, unknown>;

function createExpect(): Expect {
  const expect = ((value: unknown, message?: string) => {
    const { assertionCalls } = getState(expect as never);
    setState({ assertionCalls: assertionCalls + 1 }, expect as never);
    return chai.expect(value, message);
  }) as unknown as Expect;
  Object.assign(expect, chai.expect);
  Object.assign(expect, (globalThis as Record<symbol, unknown>)[ASYMMETRIC_MATCHERS_OBJECT]);
  expect.getState = () => getState(expect as never);
  expect.setState = (state: object) => setState(state as never, expect as never);
  expect.extend = (matchers: object) =>
    (chai.expect as unknown as { extend: (e: unknown, m: object) => void }).extend(
      expect,
      matchers,
    );
  expect.addEqualityTesters = (t: never) => addCustomEqualityTesters(t);
  expect.assert = chai.assert;
  expect.soft = (v: unknown) => expect(v);
  expect.unreachable = (message?: string) =>
    chai.assert.fail(`expected${message ? ` "${message}" ` : ' '}not to be reached`);
  expect.assertions = (n: number) =>
    setState({ expectedAssertionsNumber: n } as never, expect as never);
  expect.hasAssertions = () => setState({ isExpectingAssertions: true } as never, expect as never);
  expect.poll = () => {
    throw new Error('expect.poll is not supported by the runtime shim');
  };
  setState(
    {
      assertionCalls: 0,
      isExpectingAssertions: false,
      isExpectingAssertionsError: null,
      expectedAssertionsNumber: null,
      expectedAssertionsNumberErrorGen: null,
      currentTestName: '',
    } as never,
    expect as never,
  );
  return expect;
}

/** vitest's `expect`, backed by the same `@vitest/expect` chai plugins and custom matchers. */
export const expect = createExpect();
(expect.extend as (m: object) => void)(customMatchers);
(globalThis as Record<symbol, unknown>)[GLOBAL_EXPECT] = expect;
/** vitest's `assert` (chai's). */
export const assert = chai.assert;

function unsupported(name: string): () => never {
  return () => {
    throw new Error(
      `vi.${name} is not supported by the runtime shim (tests/runtimes/shim/vitest.ts)`,
    );
  };
}

/** The subset of vitest's `vi` that needs no module system or fake clock. */
export const vi = {
  fn: spy.fn,
  spyOn: spy.spyOn,
  isMockFunction: spy.isMockFunction,
  restoreAllMocks: spy.restoreAllMocks,
  clearAllMocks: spy.clearAllMocks,
  resetAllMocks: spy.resetAllMocks,
  mock: unsupported('mock'),
  doMock: unsupported('doMock'),
  useFakeTimers: unsupported('useFakeTimers'),
  useRealTimers: () => undefined,
  stubGlobal: (name: string, value: unknown) => {
    (globalThis as Record<string, unknown>)[name] = value;
  },
  waitFor: async <T>(
    fn: () => T | Promise<T>,
    opts?: number | { timeout?: number; interval?: number },
  ): Promise<T> => {
    const timeout = typeof opts === 'number' ? opts : (opts?.timeout ?? 1000);
    const interval = typeof opts === 'number' ? 50 : (opts?.interval ?? 50);
    const start = Date.now();
    for (;;) {
      try {
        return await fn();
      } catch (e) {
        if (Date.now() - start > timeout) throw e;
        await new Promise((r) => setTimeout(r, interval));
      }
    }
  },
};
/** Alias of {@link vi}. */
export const vitest = vi;

function describeError(e: unknown): string {
  if (e instanceof Error) {
    const { actual, expected, showDiff } = e as {
      actual?: unknown;
      expected?: unknown;
      showDiff?: boolean;
    };
    const diff =
      showDiff !== false && (actual !== undefined || expected !== undefined)
        ? `\n  actual:   ${preview(actual)}\n  expected: ${preview(expected)}`
        : '';
    const stack = e.stack ? `\n${e.stack.split('\n').slice(1, 6).join('\n')}` : '';
    return `${e.name}: ${e.message}${diff}${stack}`;
  }
  return safeString(e);
}

function preview(v: unknown): string {
  const text =
    v instanceof Uint8Array
      ? `Uint8Array(${v.length}) [${Array.from(v.subarray(0, 16)).join(', ')}${v.length > 16 ? ', …' : ''}]`
      : safeString(v);
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

async function withTimeout(p: unknown, ms: number, what: string): Promise<void> {
  if (!(p instanceof Promise)) return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      p,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function runSuite(
  file: string,
  s: Suite,
  path: string[],
  each: { before: Hook[]; after: Hook[] },
  out: TestResult[],
  skipped: boolean,
  skips: readonly { test: string; reason: string }[] = [],
): Promise<void> {
  const names = s.name ? [...path, s.name] : path;
  const skip = skipped || s.mode === 'skip';
  const before = [...each.before, ...s.beforeEach];
  const after = [...s.afterEach, ...each.after];
  let setupError: unknown;
  const hasRunnable = !skip && containsRunnable(s);
  if (hasRunnable) {
    for (const h of s.beforeAll) {
      try {
        await withTimeout(h(), 180_000, 'beforeAll');
      } catch (e) {
        setupError = e;
        break;
      }
    }
  }
  for (const child of s.children) {
    if (child.kind === 'suite') {
      if (setupError !== undefined) {
        markFailed(file, child, names, setupError, out);
        continue;
      }
      await runSuite(file, child, names, { before, after }, out, skip, skips);
      continue;
    }
    const name = [...names, child.name].join(' > ');
    const excluded = skips.find((x) => name.includes(x.test));
    if (excluded) {
      out.push({
        file,
        name,
        status: 'skip',
        ms: 0,
        error: `runtime exclusion: ${excluded.reason}`,
      });
      continue;
    }
    if (skip || child.mode === 'skip' || child.mode === 'todo') {
      out.push({ file, name, status: child.mode === 'todo' ? 'todo' : 'skip', ms: 0 });
      continue;
    }
    if (setupError !== undefined) {
      out.push({
        file,
        name,
        status: 'fail',
        ms: 0,
        error: `beforeAll failed: ${describeError(setupError)}`,
      });
      continue;
    }
    out.push(await runTest(file, name, child, before, after));
  }
  if (hasRunnable) {
    for (const h of s.afterAll) {
      try {
        await withTimeout(h(), 180_000, 'afterAll');
      } catch (e) {
        out.push({
          file,
          name: `${[...names, 'afterAll'].join(' > ')}`,
          status: 'fail',
          ms: 0,
          error: describeError(e),
        });
      }
    }
  }
}

function containsRunnable(s: Suite): boolean {
  return s.children.some((c) =>
    c.kind === 'suite'
      ? c.mode !== 'skip' && containsRunnable(c)
      : c.mode === 'run' || c.mode === 'fails',
  );
}

function markFailed(file: string, s: Suite, path: string[], e: unknown, out: TestResult[]): void {
  for (const c of s.children) {
    if (c.kind === 'suite') markFailed(file, c, [...path, s.name], e, out);
    else
      out.push({
        file,
        name: [...path, s.name, c.name].join(' > '),
        status: 'fail',
        ms: 0,
        error: `beforeAll failed: ${describeError(e)}`,
      });
  }
}

async function runTest(
  file: string,
  name: string,
  t: TestCase,
  before: Hook[],
  after: Hook[],
): Promise<TestResult> {
  const start = Date.now();
  setState(
    {
      assertionCalls: 0,
      isExpectingAssertions: false,
      expectedAssertionsNumber: null,
      currentTestName: name,
    } as never,
    expect as never,
  );
  let error: unknown;
  let failed = false;
  pendingFinished = [];
  try {
    for (const h of before) await withTimeout(h(), t.timeout, 'beforeEach');
    await withTimeout(t.fn?.(), t.timeout, 'test');
    const state = getState(expect as never) as {
      assertionCalls: number;
      expectedAssertionsNumber: number | null;
      isExpectingAssertions: boolean;
    };
    if (
      state.expectedAssertionsNumber !== null &&
      state.assertionCalls !== state.expectedAssertionsNumber
    ) {
      throw new Error(
        `expected number of assertions to be ${state.expectedAssertionsNumber}, but got ${state.assertionCalls}`,
      );
    }
    if (state.isExpectingAssertions && state.assertionCalls === 0)
      throw new Error('expected any number of assertion, but got none');
  } catch (e) {
    failed = true;
    error = e;
  }
  for (const h of [...pendingFinished, ...after]) {
    try {
      await withTimeout(h(), t.timeout, 'afterEach');
    } catch (e) {
      if (!failed) {
        failed = true;
        error = e;
      }
    }
  }
  const ms = Date.now() - start;
  if (t.mode === 'fails') {
    return failed
      ? { file, name, status: 'pass', ms }
      : {
          file,
          name,
          status: 'fail',
          ms,
          error: 'expected this test to fail (it.fails), but it passed',
        };
  }
  return failed
    ? { file, name, status: 'fail', ms, error: describeError(error) }
    : { file, name, status: 'pass', ms };
}

/**
 * Loads each test file (a thunk that imports it, so its `describe`/`it` calls register here) and
 * runs its tests in order. A file that fails to load is one failed result named `(load)`.
 */
export async function runFiles(
  files: readonly (readonly [string, () => Promise<unknown>])[],
  onResult?: (r: TestResult) => void,
  skips: readonly { file: string; test: string; reason: string }[] = [],
): Promise<TestResult[]> {
  const all: TestResult[] = [];
  for (const [file, load] of files) {
    const root = newSuite('', 'run');
    current = root;
    const out: TestResult[] = [];
    try {
      await load();
    } catch (e) {
      out.push({ file, name: '(load)', status: 'fail', ms: 0, error: describeError(e) });
    }
    current = newSuite('', 'run');
    const mine = skips.filter((s) => s.file === file);
    if (out.length === 0)
      await runSuite(file, root, [], { before: [], after: [] }, out, false, mine);
    for (const r of out) onResult?.(r);
    all.push(...out);
  }
  return all;
}
