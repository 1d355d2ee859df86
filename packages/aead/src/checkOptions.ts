import { KEY_SIZE, MAX_IN_FLIGHT } from './format.ts';

/** Throws TypeError/RangeError unless `key` is a 32-byte Uint8Array; returns a private copy. */
export function checkKey(key: unknown, caller: string): Uint8Array {
  if (!(key instanceof Uint8Array)) throw new TypeError(`${caller}: key must be a Uint8Array`);
  if (key.length !== KEY_SIZE) {
    throw new RangeError(`${caller}: key must be ${KEY_SIZE} bytes, received ${key.length}`);
  }
  // `new Uint8Array(x)` always copies; a Node Buffer's own slice() is a view into a shared pool,
  // so wiping or transferring "our copy" would change the caller's key.
  return new Uint8Array(key);
}

/** Returns a private copy of the associated data (empty when absent). */
export function checkAssociatedData(ad: unknown, caller: string): Uint8Array {
  if (ad === undefined) return new Uint8Array(0);
  if (!(ad instanceof Uint8Array))
    throw new TypeError(`${caller}: associatedData must be a Uint8Array`);
  return new Uint8Array(ad);
}

/** Validates `inFlight` (an integer in [1, 64]). */
export function checkInFlight(inFlight: number, caller: string): number {
  if (!Number.isSafeInteger(inFlight) || inFlight < 1 || inFlight > MAX_IN_FLIGHT) {
    throw new RangeError(
      `${caller}: inFlight must be an integer in [1, ${MAX_IN_FLIGHT}], received ${inFlight}`,
    );
  }
  return inFlight;
}
