/** Joins pieces into one array; a single piece is returned as is (no copy). */
export function joinPieces(pieces: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  if (pieces.length === 1 && (pieces[0] as Uint8Array).buffer instanceof ArrayBuffer) {
    return pieces[0] as Uint8Array<ArrayBuffer>;
  }
  let length = 0;
  for (const p of pieces) length += p.length;
  const out = new Uint8Array(length);
  let o = 0;
  for (const p of pieces) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Splits the last `tailLength` bytes off a list of pieces without copying the body; the tail is
 * copied only when it straddles pieces. Returns null when the pieces hold fewer bytes.
 */
export function splitTail(
  pieces: readonly Uint8Array[],
  tailLength: number,
): { body: Uint8Array[]; tail: Uint8Array } | null {
  let total = 0;
  for (const p of pieces) total += p.length;
  if (total < tailLength) return null;
  let bodyLeft = total - tailLength;
  const body: Uint8Array[] = [];
  const tailParts: Uint8Array[] = [];
  for (const p of pieces) {
    if (bodyLeft >= p.length) {
      if (p.length > 0) body.push(p);
      bodyLeft -= p.length;
    } else {
      if (bodyLeft > 0) body.push(p.subarray(0, bodyLeft));
      tailParts.push(p.subarray(bodyLeft));
      bodyLeft = 0;
    }
  }
  const tail = tailParts.length === 1 ? (tailParts[0] as Uint8Array) : joinPieces(tailParts);
  return { body, tail };
}

/** Node's HKDF (node:crypto and its WebCrypto) caps info at 1024 bytes; every engine enforces it alike. */
export function checkInfo(info: Uint8Array): void {
  if (info.length > 1024)
    throw new RangeError(`hkdf: info must be at most 1024 bytes, received ${info.length}`);
}

/** A plain Uint8Array over the same memory as `b` (a Buffer, say), so callers see one type everywhere. */
export function plain(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
