/** @module @sealstream-examples/sealed-file — one self-contained sealed file (example format). */
export { fileAssociatedData } from './fileAssociatedData.ts';
export { openFile } from './openFile.ts';
export { type SealedFile, sealFile } from './sealFile.ts';
