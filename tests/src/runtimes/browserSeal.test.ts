import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passphraseWrapper } from '@sealstream/kms';
import { collect, fromBytes } from '@sealstream/streams';
import { buildBrowserSeal } from '@sealstream-examples/browser-seal/build.ts';
import { serveDirectory } from '@sealstream-examples/browser-seal/serve.ts';
import { openFile, sealFile } from '@sealstream-examples/sealed-file';
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Download,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertChromium, CHROMIUM_LAUNCH } from '../../runtimes/chromiumLaunch.ts';

// examples/browser-seal driven by Playwright in headless Chromium (Debian's), with the
// service-worker streaming download; and interop: sealed in Chromium, opened in Node, and back.

const PASSPHRASE = 'tr0ub4dor & 3 horses';
let dir: string;
let server: Awaited<ReturnType<typeof serveDirectory>>;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  assertChromium();
  dir = mkdtempSync(join(tmpdir(), 'sealstream-browser-seal-'));
  await buildBrowserSeal(join(dir, 'site'));
  server = await serveDirectory(join(dir, 'site'));
  browser = await chromium.launch(CHROMIUM_LAUNCH);
  context = await browser.newContext({ acceptDownloads: true });
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function data(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536)
    crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

async function openPage(): Promise<{ page: Page; downloads: Download[] }> {
  const page = await context.newPage();
  const downloads: Download[] = [];
  page.on('download', (d) => downloads.push(d));
  await page.goto(`${server.url}?sink=download`);
  return { page, downloads };
}

async function run(
  page: Page,
  button: 'seal' | 'open',
  name: string,
  bytes: Uint8Array,
  passphrase: string,
): Promise<void> {
  await page.setInputFiles('#file', {
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(bytes),
  });
  await page.fill('#passphrase', passphrase);
  await page.click(`#${button}`);
}

async function finalStatus(page: Page): Promise<{ state: string; text: string }> {
  await page.waitForFunction(
    () => ['done', 'error'].includes(document.getElementById('status')?.dataset.state ?? ''),
    undefined,
    { timeout: 60_000 },
  );
  return page.$eval('#status', (el) => ({
    state: (el as HTMLElement).dataset.state ?? '',
    text: el.textContent ?? '',
  }));
}

describe('examples/browser-seal in headless Chromium', { timeout: 180_000 }, () => {
  it('seals a picked file into a streamed download that Node opens with the passphrase', async () => {
    const { page, downloads } = await openPage();
    const original = data(1024 * 1024 + 17);
    const download = page.waitForEvent('download');
    await run(page, 'seal', 'photo.raw', original, PASSPHRASE);
    const d = await download;
    expect(d.suggestedFilename()).toBe('photo.raw.sealed');
    expect(await d.failure()).toBeNull();
    const sealed = new Uint8Array(readFileSync(await d.path()));
    expect(await finalStatus(page)).toMatchObject({ state: 'done' });
    const opened = await collect(
      await openFile(fromBytes(sealed), [passphraseWrapper(PASSPHRASE)]),
    );
    expect(opened).toEqual(original);
    expect(downloads).toHaveLength(1);
    await page.close();
  });

  it('opens in the page a file Node sealed, back into the original', async () => {
    const original = data(200_000);
    const sealed = await sealFile(fromBytes(original), [
      passphraseWrapper(PASSPHRASE, { kdf: 'pbkdf2-sha256' }),
    ]);
    const { page } = await openPage();
    const download = page.waitForEvent('download');
    await run(page, 'open', 'notes.txt.sealed', await collect(sealed.stream), PASSPHRASE);
    const d = await download;
    expect(d.suggestedFilename()).toBe('notes.txt');
    expect(await d.failure()).toBeNull();
    expect(new Uint8Array(readFileSync(await d.path()))).toEqual(original);
    expect(await finalStatus(page)).toMatchObject({ state: 'done' });
    await page.close();
  });

  it('reports a wrong passphrase clearly and starts no download', async () => {
    const sealed = await sealFile(fromBytes(data(1000)), [
      passphraseWrapper(PASSPHRASE, { kdf: 'pbkdf2-sha256' }),
    ]);
    const { page, downloads } = await openPage();
    await run(page, 'open', 'x.sealed', await collect(sealed.stream), 'not the passphrase');
    const s = await finalStatus(page);
    expect(s.state).toBe('error');
    expect(s.text).toMatch(/^Wrong passphrase/);
    expect(s.text).not.toContain('not the passphrase');
    await page.waitForTimeout(500);
    expect(downloads).toHaveLength(0);
    await page.close();
  });

  it('fails the download of a truncated file (never a complete-looking file) and says why', async () => {
    const original = data(300_000);
    const sealed = await collect(
      (
        await sealFile(fromBytes(original), [
          passphraseWrapper(PASSPHRASE, { kdf: 'pbkdf2-sha256' }),
        ])
      ).stream,
    );
    const { page } = await openPage();
    const download = page.waitForEvent('download');
    await run(page, 'open', 'big.bin.sealed', sealed.subarray(0, sealed.length - 1000), PASSPHRASE);
    const d = await download;
    expect(await d.failure()).not.toBeNull();
    const s = await finalStatus(page);
    expect(s.state).toBe('error');
    expect(s.text).toMatch(/incomplete|damaged/);
    await page.close();
  });

  it('rejects a file that is not sealed at all', async () => {
    const { page, downloads } = await openPage();
    await run(
      page,
      'open',
      'plain.txt',
      new TextEncoder().encode('just some text, not sealed'),
      PASSPHRASE,
    );
    const s = await finalStatus(page);
    expect(s).toMatchObject({ state: 'error' });
    expect(downloads).toHaveLength(0);
    await page.close();
  });
});

describe('examples/browser-seal, File System Access API path (picker answered from the origin-private file system)', {
  timeout: 180_000,
}, () => {
  // Headless Chromium cannot show a save dialog; an init script answers showSaveFilePicker with a
  // real FileSystemFileHandle from the origin-private file system, so the page's own FSA code runs.
  async function pickerPage(): Promise<Page> {
    const page = await context.newPage();
    await page.addInitScript(() => {
      (window as unknown as { showSaveFilePicker: unknown }).showSaveFilePicker = async ({
        suggestedName,
      }: {
        suggestedName: string;
      }) => (await navigator.storage.getDirectory()).getFileHandle(suggestedName, { create: true });
    });
    await page.goto(`${server.url}?sink=file-picker`);
    return page;
  }
  const readSaved = (page: Page, name: string) =>
    page.evaluate(async (n) => {
      try {
        const file = await (
          await (await navigator.storage.getDirectory()).getFileHandle(n)
        ).getFile();
        let s = '';
        for (const b of new Uint8Array(await file.arrayBuffer())) s += String.fromCharCode(b);
        return btoa(s);
      } catch {
        return null;
      }
    }, name);

  it('seals into the picked file; Node opens it', async () => {
    const page = await pickerPage();
    const original = data(400_000);
    await run(page, 'seal', 'fsa.bin', original, PASSPHRASE);
    expect(await finalStatus(page)).toMatchObject({ state: 'done' });
    const saved = await readSaved(page, 'fsa.bin.sealed');
    expect(saved).not.toBeNull();
    const sealed = new Uint8Array(Buffer.from(saved as string, 'base64'));
    expect(
      await collect(await openFile(fromBytes(sealed), [passphraseWrapper(PASSPHRASE)])),
    ).toEqual(original);
    await page.close();
  });

  it('discards the picked file when the sealed input is truncated, and says so', async () => {
    const sealed = await collect(
      (
        await sealFile(fromBytes(data(300_000)), [
          passphraseWrapper(PASSPHRASE, { kdf: 'pbkdf2-sha256' }),
        ])
      ).stream,
    );
    const page = await pickerPage();
    await run(page, 'open', 'cut.bin.sealed', sealed.subarray(0, sealed.length - 500), PASSPHRASE);
    const s = await finalStatus(page);
    expect(s.state).toBe('error');
    expect(s.text).toMatch(/incomplete|damaged/);
    expect(await readSaved(page, 'cut.bin')).toBeNull();
    await page.close();
  });
});
