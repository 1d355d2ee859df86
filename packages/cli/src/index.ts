/** @module @sealstream/cli — the sealstream command, and its Node helpers for library users. */
export { type DirectoryTargetOptions, directoryTarget } from './directoryTarget.ts';
export { main, usage } from './main.ts';
export { openFile } from './openFile.ts';
export { walkDirectory } from './walkDirectory.ts';
