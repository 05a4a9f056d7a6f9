/** Shared fixtures of the store's own tests (not exported). */
import { randomBytes } from 'node:crypto';
import { DomainError, type EntityDefinition } from '@formwork/metadata';
import { afterAll, beforeAll } from 'vitest';
import type { StoreOptions } from './context.js';
import type { Db } from './db.js';
import { createStore, type Store } from './store.js';
import { createTestDb, testPrincipal } from './testing.js';
import type { Principal } from './types.js';

export const customerDef: EntityDefinition = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    {
      key: 'name',
      type: 'text',
      label: { 'zh-CN': '客户名称', en: 'Customer name' },
      required: true,
      indexed: true,
    },
    { key: 'phone', type: 'phone', label: { 'zh-CN': '电话', en: 'Phone' }, unique: true, dedupe: true },
    { key: 'email', type: 'email', dedupe: true },
    {
      key: 'grade',
      type: 'select',
      options: [{ value: 'A' }, { value: 'B' }, { value: 'C' }],
      indexed: true,
    },
    { key: 'amount', type: 'amount', indexed: true },
    { key: 'score', type: 'number' },
    { key: 'vip', type: 'boolean' },
    { key: 'signedOn', type: 'date' },
    { key: 'lastContact', type: 'datetime' },
    { key: 'tags', type: 'tags' },
    { key: 'note', type: 'longText' },
  ],
};

/** A database, a store and a fresh workspace per call of `use()`. */
export function useStore(opts: StoreOptions = {}) {
  const env = {} as { db: Db; store: Store; p: Principal; ws: () => Promise<string> };
  beforeAll(async () => {
    env.db = await createTestDb();
    env.store = createStore(env.db, opts);
    env.p = testPrincipal();
    env.ws = async () => {
      const key = `t${randomBytes(5).toString('hex')}`;
      await env.store.workspaces.create({ key, name: key });
      return key;
    };
  });
  afterAll(async () => {
    await env.db?.close();
  });
  return env;
}

/** The DomainError a promise rejects with (fails the test if it resolves or throws something else). */
export async function domainError(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, but the call succeeded');
}
