import { DomainError, type EntityDefinition, type Issue, type Result } from '@formwork/metadata';
import {
  type Automation,
  type Blueprint,
  checkBlueprint,
  checkFlow,
  type FlowDefinition,
  nextCronTime,
  parseAutomation,
  parseBlueprint,
  parseFlowDefinition,
} from '@formwork/workflow';
import type { StoreContext } from '../context.js';
import type { Db } from '../db.js';
import { workspaceSchema } from '../ident.js';
import type { Principal } from '../types.js';
import { loadDirectory } from './directory.js';
import { cancelJob, enqueueJob } from './jobs.js';
import { invalid, iso, m, notFound, uuidOrNull } from './shared.js';

/**
 * Versioned definitions of flows, blueprints and automations. Each has a draft that is edited freely and
 * checked against the workspace; publishing freezes the draft as the next version. Running flow
 * instances keep the version they started on; new instances, stage moves and automation runs use the
 * latest published version.
 */

export type DefinitionKind = 'flow' | 'blueprint' | 'automation';
export type AnyDefinition = FlowDefinition | Blueprint | Automation;

export interface DefinitionSummary {
  kind: DefinitionKind;
  key: string;
  entity: string;
  name: unknown;
  enabled: boolean;
  /** The member who owns it (its creator, or their successor after a hand-over). */
  owner: string | null;
  publishedVersion: number | null;
  /** True when the draft differs from the published version. */
  changed: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DefinitionDetail extends DefinitionSummary {
  draft: AnyDefinition;
  published: AnyDefinition | null;
  versions: Array<{ version: number; publishedAt: string; publishedBy: string | null }>;
}

interface DefRow {
  kind: DefinitionKind;
  key: string;
  entity: string;
  draft: AnyDefinition;
  published_version: number | null;
  enabled: boolean;
  state: Record<string, unknown>;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  published: AnyDefinition | null;
}

const WHAT: Record<DefinitionKind, [string, string]> = {
  flow: ['流程', 'Flow'],
  blueprint: ['蓝图', 'Blueprint'],
  automation: ['智能助手', 'Automation'],
};

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function summary(r: DefRow): DefinitionSummary {
  return {
    kind: r.kind,
    key: r.key,
    entity: r.entity,
    name: (r.draft as { name?: unknown }).name ?? null,
    enabled: r.enabled,
    owner: r.created_by,
    publishedVersion: r.published_version,
    changed: r.published === null || !same(r.draft, r.published),
    createdAt: iso(r.created_at) as string,
    updatedAt: iso(r.updated_at) as string,
  };
}

function parse(kind: DefinitionKind, input: unknown): Result<AnyDefinition> {
  if (kind === 'flow') return parseFlowDefinition(input);
  if (kind === 'blueprint') return parseBlueprint(input);
  return parseAutomation(input);
}

const WARNINGS = new Set(['assigneesMayBeEmpty']);

export interface DefinitionsApi {
  list(ws: string, kind: DefinitionKind, opts?: { entity?: string }): Promise<DefinitionSummary[]>;
  get(ws: string, kind: DefinitionKind, key: string): Promise<DefinitionDetail>;
  /** Parses and checks a definition against the workspace; errors block publishing, warnings do not. */
  validate(
    ws: string,
    kind: DefinitionKind,
    input: unknown,
  ): Promise<{ ok: boolean; issues: Issue[]; warnings: Issue[] }>;
  create(ws: string, principal: Principal, kind: DefinitionKind, input: unknown): Promise<DefinitionDetail>;
  update(
    ws: string,
    principal: Principal,
    kind: DefinitionKind,
    key: string,
    input: unknown,
  ): Promise<DefinitionDetail>;
  remove(ws: string, kind: DefinitionKind, key: string): Promise<void>;
  publish(ws: string, principal: Principal, kind: DefinitionKind, key: string): Promise<DefinitionDetail>;
  setEnabled(ws: string, kind: DefinitionKind, key: string, enabled: boolean): Promise<DefinitionDetail>;
  /** One published version as it was published (what its running instances follow); NOT_FOUND otherwise. */
  version(ws: string, kind: DefinitionKind, key: string, version: number): Promise<DefinitionVersion>;
  /** A published version (the latest when `version` is omitted); null when never published. */
  published(
    q: Db,
    ws: string,
    kind: DefinitionKind,
    key: string,
    version?: number,
  ): Promise<{ version: number; definition: AnyDefinition } | null>;
}

export interface DefinitionVersion {
  kind: DefinitionKind;
  key: string;
  version: number;
  definition: AnyDefinition;
  publishedAt: string;
  publishedBy: string | null;
}

export function definitionsApi(
  ctx: StoreContext,
  entityOf: (q: Db, ws: string, key: string) => Promise<EntityDefinition>,
): DefinitionsApi {
  const db = ctx.db;

  async function row(q: Db, ws: string, kind: DefinitionKind, key: string, lock = false): Promise<DefRow> {
    const s = workspaceSchema(ws);
    const rows = await q.query<DefRow>(
      `SELECT d.*, v.definition AS published FROM ${s}._wf_definitions d
         LEFT JOIN ${s}._wf_versions v ON v.kind = d.kind AND v.key = d.key AND v.version = d.published_version
        WHERE d.kind = $1 AND d.key = $2 AND d.deleted_at IS NULL${lock ? ' FOR UPDATE OF d' : ''}`,
      [kind, key],
    );
    const r = rows[0];
    if (!r) throw notFound(`${WHAT[kind][0]}|${WHAT[kind][1]}`, { kind, key });
    return r;
  }

  async function detail(q: Db, ws: string, r: DefRow): Promise<DefinitionDetail> {
    const versions = await q.query<{ version: number; published_at: Date; published_by: string | null }>(
      `SELECT version, published_at, published_by::text FROM ${workspaceSchema(ws)}._wf_versions
        WHERE kind = $1 AND key = $2 ORDER BY version DESC`,
      [r.kind, r.key],
    );
    return {
      ...summary(r),
      draft: r.draft,
      published: r.published,
      versions: versions.map((v) => ({
        version: v.version,
        publishedAt: iso(v.published_at) as string,
        publishedBy: v.published_by,
      })),
    };
  }

  async function check(q: Db, ws: string, kind: DefinitionKind, input: unknown) {
    const parsed = parse(kind, input);
    if (!parsed.ok) return { ok: false, issues: parsed.issues, warnings: [] as Issue[], value: null };
    const def = parsed.value;
    let entity: EntityDefinition | undefined;
    try {
      entity = await entityOf(q, ws, def.entity);
    } catch (e) {
      if (e instanceof DomainError && e.code === 'ENTITY_NOT_FOUND') {
        const issues: Issue[] = [
          {
            field: 'entity',
            code: 'unknownEntity',
            message: m(`表单 ${def.entity} 不存在`, `Entity ${def.entity} does not exist`),
          },
        ];
        return { ok: false, issues, warnings: [] as Issue[], value: null };
      }
      throw e;
    }
    const directory = await loadDirectory(q, ws);
    const s = workspaceSchema(ws);
    const flows = (
      await q.query<{ key: string }>(
        `SELECT key FROM ${s}._wf_definitions WHERE kind = 'flow' AND deleted_at IS NULL`,
      )
    ).map((r) => r.key);
    const roles = Object.keys(directory.roles);
    let all: Issue[];
    if (kind === 'flow') {
      all = checkFlow(def as FlowDefinition, {
        entity,
        roles,
        departments: Object.keys(directory.departments),
        ...(directory.members ? { members: directory.members, directory } : {}),
        flows: [...new Set([...flows, def.key])],
      });
    } else if (kind === 'blueprint') {
      all = checkBlueprint(def as Blueprint, {
        entity,
        roles,
        ...(directory.members ? { members: directory.members } : {}),
      });
    } else {
      const entities: Record<string, EntityDefinition> = {};
      for (const a of (def as Automation).actions) {
        if ((a.type === 'createRecord' || a.type === 'upsertRecord') && !entities[a.entity]) {
          try {
            entities[a.entity] = await entityOf(q, ws, a.entity);
          } catch (e) {
            if (!(e instanceof DomainError && e.code === 'ENTITY_NOT_FOUND')) throw e;
          }
        }
      }
      const r = parseAutomation(input, {
        entity,
        entities,
        roles,
        flows,
        ...(directory.members ? { members: directory.members } : {}),
      });
      all = r.ok ? [] : r.issues;
    }
    const issues = all.filter((i) => !WARNINGS.has(i.code));
    const warnings = all.filter((i) => WARNINGS.has(i.code));
    return { ok: issues.length === 0, issues, warnings, value: def };
  }

  function parsedOrThrow(kind: DefinitionKind, input: unknown): AnyDefinition {
    const p = parse(kind, input);
    if (!p.ok) throw new DomainError('VALIDATION_FAILED', { kind }, p.issues);
    return p.value;
  }

  const hasRecordTrigger = (def: AnyDefinition) => {
    const t = (def as Automation).trigger?.type;
    return t === 'created' || t === 'updated' || t === 'fieldChanged' || t === 'dateReached';
  };

  /** Automations: the schedule job of a published, enabled cron trigger; nothing otherwise. */
  async function syncSchedule(q: Db, ws: string, key: string, def: Automation | null, enabled: boolean) {
    const jobKey = `automation.schedule:${key}`;
    if (def && enabled && def.trigger.type === 'dateReached') {
      // Existing records get their "date reached" jobs too: a backfill pages through them.
      await enqueueJob(
        q,
        {
          workspace: ws,
          kind: 'automation.backfill',
          key: `automation.backfill:${key}`,
          payload: { automation: key, cursor: null },
        },
        ctx.now(),
      );
    }
    if (!def || !enabled || def.trigger.type !== 'schedule') {
      await cancelJob(q, ws, jobKey);
      return;
    }
    const now = ctx.now();
    const next = nextCronTime(def.trigger.cron, now, def.trigger.timeZone ?? 'Asia/Shanghai');
    if (!next) return;
    await enqueueJob(
      q,
      { workspace: ws, kind: 'automation.schedule', key: jobKey, payload: { automation: key }, runAt: next },
      now,
    );
  }

  const api: DefinitionsApi = {
    async list(ws, kind, opts = {}) {
      const s = workspaceSchema(ws);
      const rows = await db.query<DefRow>(
        `SELECT d.*, v.definition AS published FROM ${s}._wf_definitions d
           LEFT JOIN ${s}._wf_versions v ON v.kind = d.kind AND v.key = d.key AND v.version = d.published_version
          WHERE d.kind = $1 AND d.deleted_at IS NULL AND ($2::text IS NULL OR d.entity = $2) ORDER BY d.key`,
        [kind, opts.entity ?? null],
      );
      return rows.map(summary);
    },
    async get(ws, kind, key) {
      return detail(db, ws, await row(db, ws, kind, key));
    },
    async validate(ws, kind, input) {
      const r = await check(db, ws, kind, input);
      return { ok: r.ok, issues: r.issues, warnings: r.warnings };
    },
    async create(ws, principal, kind, input) {
      const def = parsedOrThrow(kind, input);
      return db.transaction(async (tx) => {
        const s = workspaceSchema(ws);
        const taken = await tx.query<{ deleted: boolean }>(
          `SELECT deleted_at IS NOT NULL AS deleted FROM ${s}._wf_definitions WHERE kind = $1 AND key = $2 FOR UPDATE`,
          [kind, def.key],
        );
        if (taken[0] && !taken[0].deleted) {
          throw new DomainError('UNIQUE_VIOLATION', { kind, key: def.key }, [
            {
              field: 'key',
              code: 'unique',
              message: m(`标识 ${def.key} 已被使用`, `The key ${def.key} is already in use`),
            },
          ]);
        }
        // A deleted definition's key may be used again; its old versions stay (running instances need them)
        // and the next publication continues their numbering.
        await tx.query(`DELETE FROM ${s}._wf_definitions WHERE kind = $1 AND key = $2`, [kind, def.key]);
        const now = ctx.now().toISOString();
        await tx.query(
          `INSERT INTO ${s}._wf_definitions (kind, key, entity, draft, enabled, created_by, created_at, updated_at)
           VALUES ($1, $2, $3, $4::jsonb, $5, $6::uuid, $7, $7)`,
          [
            kind,
            def.key,
            def.entity,
            def,
            (def as Automation).enabled !== false,
            uuidOrNull(principal.userId),
            now,
          ],
        );
        return detail(tx, ws, await row(tx, ws, kind, def.key));
      });
    },
    async update(ws, _principal, kind, key, input) {
      const def = parsedOrThrow(kind, input);
      if (def.key !== key)
        throw invalid('key', 'immutable', '标识不能修改', 'The key cannot be changed', { key });
      return db.transaction(async (tx) => {
        const cur = await row(tx, ws, kind, key, true);
        if (cur.entity !== def.entity)
          throw invalid('entity', 'immutable', '所属表单不能修改', 'The entity cannot be changed', {
            entity: cur.entity,
          });
        await tx.query(
          `UPDATE ${workspaceSchema(ws)}._wf_definitions SET draft = $3::jsonb, updated_at = $4 WHERE kind = $1 AND key = $2`,
          [kind, key, def, ctx.now().toISOString()],
        );
        return detail(tx, ws, await row(tx, ws, kind, key));
      });
    },
    async remove(ws, kind, key) {
      await db.transaction(async (tx) => {
        await row(tx, ws, kind, key, true);
        await tx.query(
          `UPDATE ${workspaceSchema(ws)}._wf_definitions SET deleted_at = $3, enabled = false WHERE kind = $1 AND key = $2`,
          [kind, key, ctx.now().toISOString()],
        );
        if (kind === 'automation') await syncSchedule(tx, ws, key, null, false);
      });
    },
    async publish(ws, principal, kind, key) {
      return db.transaction(async (tx) => {
        const cur = await row(tx, ws, kind, key, true);
        const c = await check(tx, ws, kind, cur.draft);
        if (!c.ok) throw new DomainError('VALIDATION_FAILED', { kind, key }, c.issues);
        if (cur.published && same(cur.published, cur.draft)) return detail(tx, ws, cur);
        const s = workspaceSchema(ws);
        const [last] = await tx.query<{ v: number }>(
          `SELECT coalesce(max(version), 0)::int AS v FROM ${s}._wf_versions WHERE kind = $1 AND key = $2`,
          [kind, key],
        );
        const version = Number(last?.v ?? 0) + 1;
        const now = ctx.now().toISOString();
        await tx.query(
          `INSERT INTO ${s}._wf_versions (kind, key, version, definition, published_by, published_at) VALUES ($1, $2, $3, $4::jsonb, $5::uuid, $6)`,
          [kind, key, version, cur.draft, uuidOrNull(principal.userId), now],
        );
        await tx.query(
          `UPDATE ${s}._wf_definitions SET published_version = $3, has_record_trigger = $4, updated_at = $5 WHERE kind = $1 AND key = $2`,
          [kind, key, version, kind === 'automation' && hasRecordTrigger(cur.draft), now],
        );
        if (kind === 'automation') await syncSchedule(tx, ws, key, cur.draft as Automation, cur.enabled);
        return detail(tx, ws, await row(tx, ws, kind, key));
      });
    },
    async setEnabled(ws, kind, key, enabled) {
      return db.transaction(async (tx) => {
        const cur = await row(tx, ws, kind, key, true);
        await tx.query(
          `UPDATE ${workspaceSchema(ws)}._wf_definitions SET enabled = $3, updated_at = $4 WHERE kind = $1 AND key = $2`,
          [kind, key, enabled, ctx.now().toISOString()],
        );
        if (kind === 'automation')
          await syncSchedule(tx, ws, key, cur.published as Automation | null, enabled);
        return detail(tx, ws, await row(tx, ws, kind, key));
      });
    },
    async version(ws, kind, key, version) {
      const [r] = Number.isSafeInteger(version)
        ? await db.query<{ definition: AnyDefinition; published_at: Date; published_by: string | null }>(
            `SELECT definition, published_at, published_by::text FROM ${workspaceSchema(ws)}._wf_versions
              WHERE kind = $1 AND key = $2 AND version = $3`,
            [kind, key, version],
          )
        : [];
      if (!r) throw notFound(`${WHAT[kind][0]}|${WHAT[kind][1]}`, { kind, key, version });
      return {
        kind,
        key,
        version,
        definition: r.definition,
        publishedAt: iso(r.published_at) as string,
        publishedBy: r.published_by,
      };
    },
    async published(q, ws, kind, key, version) {
      const s = workspaceSchema(ws);
      const rows = await q.query<{ version: number; definition: AnyDefinition }>(
        version === undefined
          ? `SELECT v.version, v.definition FROM ${s}._wf_definitions d JOIN ${s}._wf_versions v
               ON v.kind = d.kind AND v.key = d.key AND v.version = d.published_version
              WHERE d.kind = $1 AND d.key = $2 AND d.deleted_at IS NULL`
          : `SELECT version, definition FROM ${s}._wf_versions WHERE kind = $1 AND key = $2 AND version = $3`,
        version === undefined ? [kind, key] : [kind, key, version],
      );
      return rows[0] ?? null;
    },
  };
  return api;
}
