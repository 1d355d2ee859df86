/// <reference types="node" />
/**
 * The worker thread of {@link WorkerPool}: seals or opens one AES-256-GCM message per job with
 * the same code as the calling thread ({@link sealPieces}, {@link openPieces}). A job's input
 * arrives in a transferred ArrayBuffer, which goes back with the reply for reuse; the outputs are
 * transferred too. Plaintext is sent only after the tag verified. Replies go to the MessagePort in
 * `workerData.replies`, which the calling thread can also read synchronously.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openPieces, sealEachInto, sealPieces } from './nodeCipher.node.ts';
import type { Job, Reply } from './workerPool.node.ts';

/** `b` itself when it spans its whole ArrayBuffer (which can then be transferred), else a copy that does. */
const own = (b: Uint8Array): Uint8Array =>
  b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : b.slice();

const replies = (workerData as { replies: MessagePort }).replies;

function answer(m: Job): void {
  const input = new Uint8Array(m.buf, 0, m.length);
  if (m.op === 'sealEach') {
    const lengths = m.lengths as Uint32Array;
    const n = lengths.length / 2;
    const plaintextLengths = lengths.subarray(0, n);
    const size = plaintextLengths.reduce((x, y) => x + y, 0);
    const batch = {
      nonces: m.nonce,
      plaintexts: input.subarray(0, size),
      plaintextLengths,
      aads: input.subarray(size),
      aadLengths: lengths.subarray(n),
    };
    const out = new Uint8Array(size + 16 * n);
    sealEachInto(m.key, out, batch);
    const reply: Reply = { id: m.id, ok: true, outs: [out], buf: m.buf };
    replies.postMessage(reply, [m.buf, out.buffer]);
    return;
  }
  if (m.op === 'seal') {
    const pieces = sealPieces(m.key, m.nonce, [input], m.aad);
    const tag = pieces.pop() as Uint8Array;
    const outs = pieces.map(own);
    const reply: Reply = { id: m.id, ok: true, outs, tag, buf: m.buf };
    replies.postMessage(reply, [m.buf, ...outs.map((b) => b.buffer as ArrayBuffer)]);
    return;
  }
  const opened = openPieces(m.key, m.nonce, [input], m.aad);
  if (opened === null) {
    const reply: Reply = { id: m.id, ok: false, buf: m.buf };
    replies.postMessage(reply, [m.buf]);
    return;
  }
  const outs = opened.map(own);
  const reply: Reply = { id: m.id, ok: true, outs, buf: m.buf };
  replies.postMessage(reply, [m.buf, ...outs.map((b) => b.buffer as ArrayBuffer)]);
}

parentPort?.on('message', (m: Job) => {
  try {
    answer(m);
  } catch (e) {
    const reply: Reply = { id: m.id, error: e instanceof Error ? e.message : String(e) };
    replies.postMessage(reply);
  }
});
