import { type ForgetLayer, type ForgetPolicy, forget } from '@sealstream/backup';
import { required } from '../args.ts';
import { defineCommand } from '../defineCommand.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { printable, printJson, table } from '../output.ts';
import { UsageError } from '../UsageError.ts';

const usage = `sealstream forget --in URI... [--keep-last N] [--keep-hourly N] [--keep-daily N] [--keep-weekly N] [--keep-monthly N] [--keep-yearly N] [--keep-within DURATION] [--dry-run] [--json]

Deletes the backup chains no policy keeps. Policies choose layers (full backups and incrementals)
by their time, as restic's do; a chain is kept whole when any of its layers is chosen (a layer
needs every layer before it), and the chain LATEST points to is always kept. Every other chain is
deleted in every destination, its full backup's SNAPSHOT first. Needs no key. At least one
policy is required. Then run prune to delete what interrupted runs left behind.

  --keep-last N             the N newest layers
  --keep-hourly N           the newest layer of each of the N newest hours that have one
  --keep-daily N            … days, --keep-weekly N ISO weeks, --keep-monthly N, --keep-yearly N
                            (UTC, as the backup ids are)
  --keep-within DURATION    every layer within DURATION of the newest layer (e.g. 30d, 12h, 2w,
                            1y6m: y, m = months, w, d, h)
  --dry-run                 show what would be kept and removed; delete nothing`;

const COUNTS = ['last', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;

export const forgetCommand = defineCommand({
  name: 'forget',
  summary: 'delete the backup chains no retention policy keeps (--keep-daily 7 …; no key needed)',
  usage,
  options: {
    in: { type: 'string', multiple: true },
    'keep-last': { type: 'string' },
    'keep-hourly': { type: 'string' },
    'keep-daily': { type: 'string' },
    'keep-weekly': { type: 'string' },
    'keep-monthly': { type: 'string' },
    'keep-yearly': { type: 'string' },
    'keep-within': { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError('forget takes no positional argument');
    const policy: ForgetPolicy = {};
    for (const k of COUNTS) {
      const v = values[`keep-${k}`];
      if (v === undefined) continue;
      if (!/^[0-9]{1,9}$/.test(v))
        throw new UsageError(`--keep-${k} takes a whole number, not ${JSON.stringify(v)}`);
      policy[k] = Number(v);
    }
    if (values['keep-within'] !== undefined) policy.within = values['keep-within'];
    if (Object.keys(policy).length === 0)
      throw new UsageError(
        'forget needs a policy: --keep-last, --keep-hourly, --keep-daily, --keep-weekly, --keep-monthly, --keep-yearly or --keep-within',
      );
    const destinations = await openDestinations(required(values.in, '--in'));
    try {
      const result = await forget({
        collection: destinations,
        ...policy,
        dryRun: values['dry-run'] === true,
      });
      if (values.json) {
        printJson({ ok: true, command: 'forget', ...result });
        return 0;
      }
      const row = (l: ForgetLayer) => [
        printable(l.id),
        l.type,
        l.time,
        l.reasons.length > 0 ? l.reasons.join(', ') : l.keep ? '(its chain is kept)' : '',
      ];
      const kept = result.chains.filter((c) => c.keep);
      const gone = result.chains.filter((c) => !c.keep);
      const layersOf = (full: string) => result.layers.filter((l) => l.full === full);
      const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
      if (result.chains.length === 0) {
        console.log('no backups');
        return 0;
      }
      console.log(`keep ${plural(kept.length, 'chain')}:`);
      console.log(
        table(
          ['id', 'type', 'time', 'reasons'],
          kept.flatMap((c) => layersOf(c.full).map(row)),
        ),
      );
      if (gone.length > 0) {
        console.log(`\nremove ${plural(gone.length, 'chain')}:`);
        console.log(
          table(
            ['id', 'type', 'time', 'reasons'],
            gone.flatMap((c) => layersOf(c.full).map(row)),
          ),
        );
      }
      const layers = gone.reduce((n, c) => n + c.layers.length, 0);
      console.log(
        result.dryRun
          ? `\nwould remove ${plural(gone.length, 'chain')} (${plural(layers, 'layer')}); nothing deleted (--dry-run)`
          : `\nremoved ${plural(gone.length, 'chain')} (${plural(layers, 'layer')})${gone.length > 0 ? '; run prune to delete what interrupted runs left' : ''}`,
      );
      return 0;
    } finally {
      await closeDestinations(destinations);
    }
  },
});
