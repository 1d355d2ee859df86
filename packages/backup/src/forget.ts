import type { Storage } from '@sealstream/storage';
import { BackupError } from './BackupError.ts';
import { Collection, type Destinations, SNAPSHOT } from './Collection.ts';
import { type ListedBackup, list } from './list.ts';

/**
 * Which layers to keep (restic's policies). Each is evaluated over the committed layers of the
 * collection (full backups and incrementals alike), newest first, by the time in their ids (UTC).
 */
export interface ForgetPolicy {
  /** The `last` newest layers. */
  last?: number;
  /** For each of the newest `hourly` hours that have a layer, its newest layer; and so on. */
  hourly?: number;
  daily?: number;
  /** Weeks are ISO weeks (Monday to Sunday, UTC). */
  weekly?: number;
  monthly?: number;
  yearly?: number;
  /**
   * Every layer taken within this duration before the newest layer (not before now: a
   * collection whose backups stopped keeps them), e.g. `30d`, `12h`, `1y6m` (y, m = months, w,
   * d, h); see {@link parseDuration}.
   */
  within?: string;
}

/** Options of {@link forget}. */
export interface ForgetOptions extends ForgetPolicy {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
  /** Decide and report only; delete nothing. */
  dryRun?: boolean;
}

/** One layer and what the policies decided. */
export interface ForgetLayer {
  id: string;
  full: string;
  type: 'full' | 'incremental';
  time: string;
  /** True when its chain is kept (the layer itself, or another layer of its chain, is kept). */
  keep: boolean;
  /**
   * Why this layer is kept: the policies that chose it (`last`, `hourly`, `daily`, `weekly`,
   * `monthly`, `yearly`, `within`) or `latest` (the full backup LATEST points to). Empty for
   * a layer kept only because its chain is kept, or removed.
   */
  reasons: string[];
}

/** One chain (a full backup and its layers) and what happens to it. */
export interface ForgetChain {
  full: string;
  keep: boolean;
  /** The layers of the chain, oldest first. */
  layers: string[];
  /** The layers of the chain a policy (or LATEST) kept: why the whole chain is kept. */
  keptBy: string[];
}

/** What {@link forget} decided and did. */
export interface ForgetResult {
  dryRun: boolean;
  policy: ForgetPolicy;
  /** Every committed layer, newest first. */
  layers: ForgetLayer[];
  /** Every chain, newest first. */
  chains: ForgetChain[];
  /** The chains (full backup ids) deleted — or, with `dryRun`, that would be. */
  removed: string[];
}

const BUCKETS = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
type Bucket = (typeof BUCKETS)[number];

/**
 * Applies a retention policy to a collection. Policies choose **layers** by their time; a
 * **chain** is kept when any of its layers is chosen (each layer needs every layer before it:
 * its tree references chunks stored by earlier layers, and the `next/` claims link them), and
 * the chain LATEST points to is always kept. Every other chain is deleted whole, in every
 * destination, its full backup's `SNAPSHOT` first, so a crash midway leaves nothing visible
 * (what is left is an unfinished chain that `prune` deletes). No layer is ever removed from a
 * kept chain. Needs no key: only the layout is read.
 *
 * A policy must be given (`ERR_BACKUP_BAD_ARGUMENT` otherwise): forget never deletes everything
 * by default.
 *
 * @example
 * ```ts
 * import { forget } from '@sealstream/backup';
 * const r = await forget({ collection: storage, daily: 7, weekly: 4, dryRun: true });
 * for (const c of r.chains) console.log(c.full, c.keep ? 'keep' : 'remove');
 * ```
 */
export async function forget(options: ForgetOptions): Promise<ForgetResult> {
  const policy = policyOf(options);
  const collection = new Collection(options.collection);
  const layers = (await list({ collection: collection.destinations })).reverse();
  const decided = applyPolicy(layers, policy);
  const chains: ForgetChain[] = [];
  for (const l of decided) {
    let chain = chains.find((c) => c.full === l.full);
    if (chain === undefined) {
      chain = { full: l.full, keep: false, layers: [], keptBy: [] };
      chains.push(chain);
    }
    chain.layers.unshift(l.id);
    if (l.reasons.length > 0) {
      chain.keep = true;
      chain.keptBy.unshift(l.id);
    }
  }
  for (const l of decided) l.keep = chains.find((c) => c.full === l.full)?.keep === true;
  const removed = chains.filter((c) => !c.keep).map((c) => c.full);
  if (options.dryRun !== true) {
    for (const full of removed) {
      // LATEST moves only to newer chains, and the newest layer is always kept, but check again
      // right before deleting: never delete the chain LATEST points to.
      const latest = await collection.latest().catch(() => undefined);
      if (latest === full)
        throw new BackupError('ERR_BACKUP_CONFLICT', `LATEST now points to ${full}; not deleted`);
      await deleteChain(collection, full);
    }
  }
  return { dryRun: options.dryRun === true, policy, layers: decided, chains, removed };
}

/** The policy of the options, checked: counts are non-negative integers, `within` parses. */
function policyOf(options: ForgetPolicy): ForgetPolicy {
  const policy: ForgetPolicy = {};
  for (const k of ['last', ...BUCKETS] as const) {
    const n = options[k];
    if (n === undefined) continue;
    if (!Number.isSafeInteger(n) || n < 0)
      throw new BackupError(
        'ERR_BACKUP_BAD_ARGUMENT',
        `forget: ${k} must be a non-negative integer, received ${JSON.stringify(n)}`,
      );
    policy[k] = n;
  }
  if (options.within !== undefined) {
    parseDuration(options.within);
    policy.within = options.within;
  }
  const any =
    Object.values(policy).some((v) => typeof v === 'number' && v > 0) ||
    policy.within !== undefined;
  if (!any)
    throw new BackupError(
      'ERR_BACKUP_BAD_ARGUMENT',
      'forget needs a policy (last, hourly, daily, weekly, monthly, yearly or within): without one nothing would be kept',
    );
  return policy;
}

/**
 * Decides per layer (newest first) which policies keep it. Exported for tests.
 * @internal
 */
export function applyPolicy(newestFirst: readonly ListedBackup[], policy: ForgetPolicy) {
  const out: ForgetLayer[] = newestFirst.map((b) => ({
    id: b.id,
    full: b.full,
    type: b.type,
    time: b.time,
    keep: false,
    reasons: b.latest ? ['latest'] : [],
  }));
  const last = policy.last ?? 0;
  for (let i = 0; i < out.length && i < last; i++) (out[i] as ForgetLayer).reasons.push('last');
  for (const bucket of BUCKETS) {
    const n = policy[bucket] ?? 0;
    let taken = 0;
    let previous: string | undefined;
    for (const l of out) {
      if (taken >= n) break;
      const key = bucketOf(bucket, new Date(l.time));
      if (key === previous) continue;
      previous = key;
      l.reasons.push(bucket);
      taken++;
    }
  }
  if (policy.within !== undefined && out.length > 0) {
    const since = subtractDuration(new Date((out[0] as ForgetLayer).time), policy.within);
    for (const l of out)
      if (new Date(l.time).getTime() >= since.getTime()) l.reasons.push('within');
  }
  return out;
}

function bucketOf(bucket: Bucket, t: Date): string {
  const y = t.getUTCFullYear();
  const m = t.getUTCMonth() + 1;
  const d = t.getUTCDate();
  switch (bucket) {
    case 'hourly':
      return `${y}-${m}-${d}T${t.getUTCHours()}`;
    case 'daily':
      return `${y}-${m}-${d}`;
    case 'weekly': {
      const [wy, w] = isoWeek(t);
      return `${wy}-W${w}`;
    }
    case 'monthly':
      return `${y}-${m}`;
    case 'yearly':
      return `${y}`;
  }
}

/** The ISO-8601 week-numbering year and week of a UTC date. */
export function isoWeek(t: Date): [number, number] {
  const d = new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday of this week decides its year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return [year, week];
}

/**
 * Parses a duration such as `30d`, `12h`, `2w`, `1y6m` (y years, m months, w weeks, d days,
 * h hours; each at most once, in that order). `ERR_BACKUP_BAD_ARGUMENT` otherwise.
 */
export function parseDuration(text: string): {
  years: number;
  months: number;
  days: number;
  hours: number;
} {
  const m = /^(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?$/.exec(text);
  if (m === null || text === '')
    throw new BackupError(
      'ERR_BACKUP_BAD_ARGUMENT',
      `${JSON.stringify(text)} is not a duration (e.g. 30d, 12h, 2w, 1y6m: y, m = months, w, d, h)`,
    );
  const n = (i: number) => Number(m[i] ?? 0);
  return { years: n(1), months: n(2), days: n(3) * 7 + n(4), hours: n(5) };
}

/** `t` minus a duration, by the calendar (UTC): `1m` before March 31 is March 3 or 2, like restic. */
function subtractDuration(t: Date, text: string): Date {
  const d = parseDuration(text);
  const out = new Date(t.getTime());
  out.setUTCFullYear(out.getUTCFullYear() - d.years, out.getUTCMonth() - d.months);
  out.setUTCDate(out.getUTCDate() - d.days);
  out.setUTCHours(out.getUTCHours() - d.hours);
  return out;
}

/**
 * Deletes every file of a chain in every destination, its full backup's `SNAPSHOT` first: from
 * then on the chain is invisible (not listed, not restorable), and a crash midway leaves an
 * unfinished chain, which `prune` deletes.
 */
export async function deleteChain(collection: Collection, full: string): Promise<void> {
  await collection.main.delete(`${full}/${SNAPSHOT}`);
  for (const storage of collection.destinations.values()) {
    const keys: string[] = [];
    for await (const o of storage.list(`${full}/`)) keys.push(o.key);
    for (const key of keys) await storage.delete(key);
  }
}
