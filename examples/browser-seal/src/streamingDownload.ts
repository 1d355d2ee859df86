/**
 * Where a streamed output goes: a file the user picks (File System Access API) or, as a fallback,
 * a browser download fed by the service worker `sw.js`. Neither holds the whole output in memory.
 * If the stream errors, the output is discarded (FSA: the writable is aborted and the new file
 * removed) or the download fails (service worker: the response body errors, so the browser marks
 * the download failed) — never a complete-looking file.
 */
export type SinkKind = 'file-picker' | 'download';

interface SavePickerWindow {
  showSaveFilePicker?: (o: { suggestedName: string }) => Promise<{
    createWritable(): Promise<WritableStream<Uint8Array>>;
    remove?: () => Promise<void>;
  }>;
}

/**
 * The sink `streamToFile` uses: the file picker where this browser has one, else the
 * service-worker download; `?sink=download` forces the download.
 */
export function chooseSink(): SinkKind {
  if (new URLSearchParams(location.search).get('sink') === 'download') return 'download';
  return typeof (window as SavePickerWindow).showSaveFilePicker === 'function'
    ? 'file-picker'
    : 'download';
}

/**
 * Removes the picked file after a failed output. The aborted writable may still hold the file's
 * lock for a moment (Chromium answers `NoModificationAllowedError`), so removal is retried with
 * backoff; if the file still cannot be removed, the rejection says so instead of leaving an empty
 * file behind unreported.
 */
async function discard(
  handle: { remove?: () => Promise<void> },
  name: string,
  failure: unknown,
): Promise<void> {
  if (!handle.remove) return;
  let last: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      await handle.remove();
      return;
    } catch (e) {
      if ((e as DOMException).name === 'NotFoundError') return;
      last = e;
      await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    }
  }
  const reason = last instanceof Error ? last.message : String(last);
  throw new Error(
    `The output failed and the empty file "${name}" could not be removed (${reason}); delete it.`,
    { cause: failure },
  );
}

let worker: Promise<ServiceWorker> | undefined;

/** Registers `sw.js` once and resolves with the active worker controlling this page. */
function serviceWorker(): Promise<ServiceWorker> {
  worker ??= (async () => {
    if (!('serviceWorker' in navigator)) {
      throw new Error(
        'This browser can neither save files directly nor stream downloads (no service worker support); use a current Chromium, Edge, Firefox or Safari.',
      );
    }
    await navigator.serviceWorker.register('./sw.js', { type: 'module' });
    const reg = await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) =>
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), {
          once: true,
        }),
      );
    }
    const active = reg.active;
    if (!active) throw new Error('the download service worker did not activate');
    return active;
  })();
  return worker;
}

/**
 * Sends `stream` to a file named `name`. With the file picker it settles when the output is
 * complete, or rejects after a failed output has been discarded; with the service worker it
 * resolves when the download has been handed to the browser, and a later error in `stream` fails
 * the download.
 */
export async function streamToFile(
  stream: ReadableStream<Uint8Array>,
  name: string,
  size?: number,
): Promise<void> {
  const picker = (window as SavePickerWindow).showSaveFilePicker;
  if (chooseSink() === 'file-picker' && picker) {
    const handle = await picker({ suggestedName: name });
    const writable = await handle.createWritable();
    try {
      await stream.pipeTo(writable); // aborts the writable on error: nothing is committed
    } catch (e) {
      await discard(handle, name, e);
      throw e;
    }
    return;
  }
  const sw = await serviceWorker();
  const id = crypto.randomUUID();
  const channel = new MessageChannel();
  const ready = new Promise<void>((resolve) => {
    channel.port1.onmessage = () => resolve();
  });
  sw.postMessage({ id, name, size, stream }, [channel.port2, stream as unknown as Transferable]);
  await ready;
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.src = `./__download/${id}`;
  document.body.append(frame);
}
