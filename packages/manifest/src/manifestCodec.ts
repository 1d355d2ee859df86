import type { BackupManifest, DataRef, ManifestObject } from './BackupManifest.ts';
import { ManifestError } from './ManifestError.ts';
import { parseJson, StrictReader } from './strictJson.ts';

const FORMAT = 'sealstream-manifest';
const VERSION = 1;
/** The most objects one manifest may describe. */
export const MAX_OBJECTS = 10_000_000;
const ID =
  /^[0-9]{4}\/[0-9]{2}\/[0-9]{2}-[0-9]{6}\.[0-9]{2}(?:\/incrementals\/[0-9]{8}-[0-9]{6}\.[0-9]{2})?$/;
const LOCALITY = /^[A-Za-z0-9_.=-]{1,128}$/;
const MAX_SIZE = 2 ** 53 - 1;

/** True when `name` is a safe relative object name (no absolute path, no `.`/`..` segment). */
export function isSafeObjectName(name: string): boolean {
  if (name.length === 0 || name.length > 4096 || name.startsWith('/') || name.includes('\0'))
    return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

function body(m: BackupManifest): Record<string, unknown> {
  return {
    format: FORMAT,
    version: VERSION,
    backupId: m.backupId,
    fullBackup: m.fullBackup,
    chainId: m.chainId,
    type: m.type,
    ...(m.parent === undefined ? {} : { parent: m.parent }),
    startTime: m.startTime,
    endTime: m.endTime,
    localities: m.localities,
    deleted: m.deleted,
    objects: m.objects,
  };
}

/**
 * Serialises a manifest as JSON with a SHA-256 checksum of its body (the last field), ready to be
 * sealed.
 */
export async function encodeManifest(m: BackupManifest): Promise<Uint8Array> {
  const text = JSON.stringify(body(m));
  const checksum = await sha256Hex(new TextEncoder().encode(text));
  return new TextEncoder().encode(`${text.slice(0, -1)},"checksum":"${checksum}"}`);
}

/** Parses, checksums and strictly validates manifest JSON bytes. `file` names the file in errors. */
export async function decodeManifest(bytes: Uint8Array, file: string): Promise<BackupManifest> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ManifestError('ERR_MANIFEST_INVALID', 'not UTF-8 text', { file, cause });
  }
  const m = /,"checksum":"([0-9a-f]{64})"}$/.exec(text);
  if (!m) throw new ManifestError('ERR_MANIFEST_INVALID', 'no checksum', { file });
  const bodyText = `${text.slice(0, m.index)}}`;
  if ((await sha256Hex(new TextEncoder().encode(bodyText))) !== m[1]) {
    throw new ManifestError('ERR_MANIFEST_CHECKSUM', 'checksum mismatch', { file });
  }
  const r = new StrictReader(parseJson(text, file), 'manifest', file);
  if (r.raw('format') !== FORMAT) throw r.fail('not a sealstream manifest');
  const version = r.raw('version');
  if (version !== VERSION) {
    throw new ManifestError(
      'ERR_MANIFEST_UNSUPPORTED_VERSION',
      `version ${String(version)} is not supported`,
      { file },
    );
  }
  r.raw('checksum');
  const backupId = r.string('backupId', { pattern: ID });
  const fullBackup = r.string('fullBackup', { pattern: ID });
  const chainId = r.string('chainId', { pattern: /^[0-9a-f]{32}$/ });
  const type = r.oneOf('type', ['full', 'incremental'] as const);
  const parent = r.optionalString('parent', { pattern: ID });
  const startTime = r.string('startTime', { max: 40 });
  const endTime = r.string('endTime', { max: 40 });
  const localities = r.array('localities', 1024).map((l) => {
    if (typeof l !== 'string' || !LOCALITY.test(l))
      throw r.fail('manifest.localities has an invalid entry');
    return l;
  });
  const deleted = r.array('deleted', MAX_OBJECTS).map((d) => {
    if (typeof d !== 'string' || !isSafeObjectName(d))
      throw r.fail('manifest.deleted has an invalid name');
    return d;
  });
  let previous = '';
  const objects = r.array('objects', MAX_OBJECTS).map((o, i) => {
    const obj = readObject(new StrictReader(o, `manifest.objects[${i}]`, file), localities);
    if (obj.name <= previous) throw r.fail(`manifest.objects[${i}] is out of order or duplicated`);
    previous = obj.name;
    return obj;
  });
  r.done();
  if (
    (type === 'full') !== (backupId === fullBackup) ||
    (type === 'incremental') !== (parent !== undefined)
  ) {
    throw r.fail('manifest type, backupId, fullBackup and parent disagree');
  }
  const out: BackupManifest = {
    backupId,
    fullBackup,
    chainId,
    type,
    startTime,
    endTime,
    objects,
    deleted,
    localities,
  };
  if (parent !== undefined) out.parent = parent;
  return out;
}

function readObject(r: StrictReader, localities: string[]): ManifestObject {
  const name = r.string('name', { max: 4096 });
  if (!isSafeObjectName(name))
    throw r.fail(`object name ${JSON.stringify(name)} is not a safe relative path`);
  const type = r.oneOf('type', ['file', 'dir', 'symlink', 'stream'] as const);
  const size = r.integer('size', 0, MAX_SIZE);
  const obj: ManifestObject = { name, type, size };
  const mode = r.optionalInteger('mode', 0, 0o7777);
  if (mode !== undefined) obj.mode = mode;
  const mtime = r.optionalInteger('mtime', -(2 ** 52), 2 ** 52);
  if (mtime !== undefined) obj.mtime = mtime;
  const target = r.optionalString('target', { max: 4096 });
  if (target !== undefined) obj.target = target;
  if ((type === 'symlink') !== (target !== undefined))
    throw r.fail(`object ${name}: only symlinks have a target`);
  if (r.has('data')) {
    const d = r.object('data');
    const ref: DataRef = {
      path: d.string('path', { max: 4096 }),
      locality: d.string('locality', { pattern: LOCALITY }),
      layer: d.string('layer', { pattern: ID }),
      ciphertextSize: d.integer('ciphertextSize', 1, MAX_SIZE),
      segmentSize: d.integer('segmentSize', 1, 1 << 30),
    };
    const offset = d.optionalInteger('offset', 0, MAX_SIZE);
    if (offset !== undefined) ref.offset = offset;
    d.done();
    if (!isSafeObjectName(ref.path))
      throw r.fail(`object ${name}: data path is not a safe relative path`);
    if (!localities.includes(ref.locality))
      throw r.fail(`object ${name}: unknown locality ${ref.locality}`);
    if (type !== 'file' && type !== 'stream') throw r.fail(`object ${name}: a ${type} has no data`);
    obj.data = ref;
  } else {
    r.raw('data');
    if ((type === 'file' || type === 'stream') && size > 0)
      throw r.fail(`object ${name}: has ${size} bytes but no data`);
  }
  r.done();
  return obj;
}
