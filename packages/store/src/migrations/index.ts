import { migration0001 } from './0001-system.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every migration, in order. Append only; never edit one that has shipped. */
export const migrations: readonly Migration[] = [migration0001];
