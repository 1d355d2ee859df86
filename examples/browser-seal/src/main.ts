/**
 * The browser-seal example page: seal the picked file with a passphrase into `<name>.sealed`, or
 * open a `.sealed` file back into the original, streaming both ways (File.stream() → sealFile /
 * openFile → a file the user picks, or a streaming download through the service worker).
 *
 * Bad input: a wrong passphrase is reported before any output is started; a truncated or damaged
 * file makes the output fail (the download is marked failed / the picked file is discarded) and
 * the page says so.
 */
import { passphraseWrapper } from '@sealstream/kms';
import { openFile, sealFile } from '@sealstream-examples/sealed-file';
import { chooseSink, streamToFile } from './streamingDownload.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');

function show(state: 'idle' | 'busy' | 'done' | 'error', text: string): void {
  status.dataset.state = state;
  status.textContent = text;
}

/** A human message for an error, by its stable code when it has one. No secret is ever shown. */
export function explain(e: unknown): string {
  const code = (e as { code?: string })?.code;
  switch (code) {
    case 'ERR_KMS_NO_USABLE_KEY':
      return 'Wrong passphrase: this file cannot be opened with it. Nothing was written.';
    case 'ERR_AEAD_TRUNCATED':
      return 'The file is incomplete (truncated). The output was discarded: do not use any partial download.';
    case 'ERR_AEAD_TAMPERED':
      return 'The file is damaged or was modified (or is incomplete). The output was discarded: do not use any partial download.';
    case 'ERR_AEAD_BAD_HEADER':
    case 'ERR_MANIFEST_INVALID':
      return 'This is not a sealed file.';
    default:
      return `Failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/**
 * Passes `source` through, reporting its end to the page. A download (service-worker sink) ends
 * after `streamToFile` has returned, so its error is reported here; with the file picker,
 * `streamToFile` itself rejects once the failed output has been removed, and the caller reports it
 * then — never before the file is gone.
 */
function watched(
  source: ReadableStream<Uint8Array>,
  onDone: () => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          onDone();
        } else controller.enqueue(value);
      } catch (e) {
        if (chooseSink() === 'download') show('error', explain(e));
        controller.error(e);
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}

function inputs(): { file: File; passphrase: string } | undefined {
  const file = $<HTMLInputElement>('file').files?.[0];
  const passphrase = $<HTMLInputElement>('passphrase').value;
  if (!file) show('error', 'Pick a file first.');
  else if (passphrase.length === 0) show('error', 'Enter a passphrase.');
  else return { file, passphrase };
  return undefined;
}

$('seal').addEventListener('click', async () => {
  const args = inputs();
  if (!args) return;
  try {
    show('busy', 'Deriving the key from the passphrase…');
    const sealed = await sealFile(args.file.stream(), [passphraseWrapper(args.passphrase)]);
    show('busy', 'Sealing…');
    const size = sealed.sizeFor(args.file.size);
    await streamToFile(
      watched(sealed.stream, () => show('done', `Sealed ${args.file.name} (${size} bytes).`)),
      `${args.file.name}.sealed`,
      size,
    );
  } catch (e) {
    show('error', explain(e));
  }
});

$('open').addEventListener('click', async () => {
  const args = inputs();
  if (!args) return;
  try {
    show('busy', 'Checking the passphrase…');
    const opened = await openFile(args.file.stream(), [passphraseWrapper(args.passphrase)]);
    show('busy', 'Opening…');
    const name = args.file.name.replace(/\.sealed$/, '') || 'opened';
    await streamToFile(
      watched(opened, () => show('done', `Opened ${name}.`)),
      name,
    );
  } catch (e) {
    show('error', explain(e));
  }
});
