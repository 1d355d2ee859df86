// Runs the Cloud Storage emulator that ships inside firebase-tools WITHOUT the Firebase CLI
// and WITHOUT its Java rules runtime. The GCS JSON API routes (/storage/v1, /upload/storage/v1,
// /download/storage/v1) use the emulator's admin storage layer, which never evaluates Security
// Rules, so the rules runtime (a JAR downloaded from the internet at first start, needs Java >= 21)
// is stubbed out. Firebase *client* SDK routes (/v0/...) would deny everything (no ruleset loaded).
//
// This uses firebase-tools internals (lib/emulator/storage), not a public API: pin the version.
// Usage: node bin/gcs-emulator-headless.cjs [port=9199] [host=127.0.0.1] [projectId=demo-test]
const path = require('node:path');
const FT =
  process.env.FIREBASE_TOOLS_DIR || path.join(process.cwd(), 'node_modules', 'firebase-tools');
const { StorageEmulator } = require(path.join(FT, 'lib/emulator/storage/index.js'));
const { EmulatorRegistry } = require(path.join(FT, 'lib/emulator/registry.js'));

const port = Number(process.argv[2] ?? 9199);
const host = process.argv[3] ?? '127.0.0.1';
const projectId = process.argv[4] ?? 'demo-test';

const emu = new StorageEmulator({ projectId, host, port, rules: [], auto_download: false });
emu._rulesRuntime.start = async () => {}; // no Java, no JAR download
emu._rulesRuntime.stop = async () => {};
emu._rulesManager = { start: async () => [], stop: async () => {}, getRuleset: () => undefined };

// Register (as the CLI does) so the emulator can build its own URLs (bucket/object selfLink, resumable upload URLs).
EmulatorRegistry.start(emu).then(
  () => {
    console.log(
      `GCS emulator (firebase-tools storage, headless) listening on http://${host}:${port}`,
    );
  },
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

const shutdown = () => emu.stop().finally(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
