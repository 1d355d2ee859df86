/**
 * The associated data that binds a sealed file's ciphertext to its envelope (chain id), so an
 * envelope cannot be paired with another file's data.
 *
 * @example
 * ```ts
 * import { fileAssociatedData } from '@sealstream-examples/sealed-file';
 * console.log(new TextDecoder().decode(fileAssociatedData('ab'))); // 'sealstream/file/v1/ab'
 * ```
 */
export function fileAssociatedData(chainId: string): Uint8Array {
  return new TextEncoder().encode(`sealstream/file/v1/${chainId}`);
}
