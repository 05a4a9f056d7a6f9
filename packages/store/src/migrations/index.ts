import { migration0001 } from './0001-system.js';
import { migration0002 } from './0002-people.js';
import { migration0003 } from './0003-views-files.js';
import { migration0004 } from './0004-cache-notify.js';
import { migration0005 } from './0005-workflow.js';
import { migration0006 } from './0006-blueprint-stages.js';
import { migration0007 } from './0007-instance-storage.js';
import type { Migration } from './types.js';

export type { Migration } from './types.js';

/** Every migration, in order. Append only; never edit one that has shipped. */
export const migrations: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
];
