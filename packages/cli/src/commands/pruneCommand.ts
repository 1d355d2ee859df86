import { type PruneItem, prune } from '@sealstream/backup';
import { required } from '../args.ts';
import { defineCommand } from '../defineCommand.ts';
import { closeDestinations, openDestinations } from '../destinations.ts';
import { resolveKeys } from '../keys.ts';
import { human, printable, printJson, table } from '../output.ts';
import { UsageError } from '../UsageError.ts';

const usage = `sealstream prune --in URI... [--min-age DURATION] [--kms URI... | --passphrase-file F [--unreferenced-packs]] [--dry-run] [--json]

Deletes what no backup references: the files of unfinished full backups (killed runs, or chains
whose forget was interrupted) and the snapshots of incrementals that can never join their chain
(a later layer holds their place). Takes no lock: nothing whose newest file is younger than
--min-age is touched, so a backup running at the same time is left alone — as long as no backup
runs longer than --min-age. Needs no key. With a key it also lists the packs of committed chains
that no layer references (a killed incremental's); they are deleted only with
--unreferenced-packs, which is safe only while no backup of those chains runs (a running
incremental may reuse their chunks; see docs/decisions/0011-retention.md).

  --min-age DURATION      grace period (default 24h; e.g. 2h, 3d, 1w, or 0)
  --kms URI, --passphrase-file F
                          a key of the chains: look for unreferenced packs too
  --unreferenced-packs    delete them (only when nothing else writes to the collection)
  --dry-run               show what would be deleted; delete nothing`;

export const pruneCommand = defineCommand({
  name: 'prune',
  summary:
    'delete what interrupted backups left behind (no key needed; safe beside a running backup)',
  usage,
  options: {
    in: { type: 'string', multiple: true },
    'min-age': { type: 'string' },
    kms: { type: 'string', multiple: true },
    'passphrase-file': { type: 'string' },
    'unreferenced-packs': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run({ values, positionals }) {
    if (positionals.length > 0) throw new UsageError('prune takes no positional argument');
    const withKey = (values.kms ?? []).length > 0 || values['passphrase-file'] !== undefined;
    if (values['unreferenced-packs'] && !withKey)
      throw new UsageError('--unreferenced-packs needs a key: --kms URI or --passphrase-file F');
    const minAge = values['min-age'];
    const destinations = await openDestinations(required(values.in, '--in'));
    try {
      const keys = withKey
        ? await resolveKeys({ kms: values.kms ?? [], passphraseFile: values['passphrase-file'] })
        : [];
      const result = await prune({
        collection: destinations,
        keys,
        ...(minAge === undefined ? {} : { minAge: /^0+$/.test(minAge) ? 0 : minAge }),
        unreferencedPacks: values['unreferenced-packs'] === true,
        dryRun: values['dry-run'] === true,
      });
      if (values.json) {
        printJson({ ok: true, command: 'prune', ...result });
        return 0;
      }
      const row = (i: PruneItem) => [
        i.remove ? (result.dryRun ? 'would remove' : 'removed') : 'keep',
        i.kind,
        printable(i.id),
        i.files,
        human(i.bytes),
        i.newest ?? '',
        i.reason ?? '',
      ];
      if (result.items.length === 0) console.log('nothing to prune');
      else
        console.log(
          table(
            ['action', 'kind', 'id', 'files', 'bytes', 'written', 'why kept'],
            result.items.map(row),
          ),
        );
      const { files, bytes } = result.removed;
      console.log(
        result.dryRun
          ? `would remove ${files} file(s), ${human(bytes)}; nothing deleted (--dry-run)`
          : `removed ${files} file(s), ${human(bytes)}`,
      );
      if (result.unchecked.length > 0)
        console.log(
          `${result.unchecked.length} chain(s) not checked for unreferenced packs (${withKey ? 'the key opens none of them' : 'no key given'})`,
        );
      return 0;
    } finally {
      await closeDestinations(destinations);
    }
  },
});
