/** @module @sealstream/cli — the sealstream command (its Node file-system adapters are `@sealstream/fs`). */
export { main, usage } from './main.ts';
