import { peopleComponents } from './people-schemas.js';
import type { JsonSchema } from './route.js';

/** Shared JSON Schemas of the API (inputs are validated with them; all appear in OpenAPI). */

export const ENTITY_KEY_PATTERN = '^[a-z][a-z0-9_]{0,47}$';
export const WORKSPACE_KEY_PATTERN = '^[a-z][a-z0-9_]{0,30}$';
export const WORKSPACE_KEY = new RegExp(WORKSPACE_KEY_PATTERN);

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const entityParams: JsonSchema = {
  type: 'object',
  properties: { entity: { type: 'string', pattern: ENTITY_KEY_PATTERN } },
  required: ['entity'],
  additionalProperties: false,
};

export const recordParams: JsonSchema = {
  type: 'object',
  properties: {
    entity: { type: 'string', pattern: ENTITY_KEY_PATTERN },
    id: { type: 'string', format: 'uuid' },
  },
  required: ['entity', 'id'],
  additionalProperties: false,
};

export const idParams: JsonSchema = {
  type: 'object',
  properties: { id: { type: 'string', format: 'uuid' } },
  required: ['id'],
  additionalProperties: false,
};

export const noQuery: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

export const listQuery: JsonSchema = {
  type: 'object',
  properties: {
    filter: { type: 'string', maxLength: 20000, description: 'The filter AST as JSON' },
    sort: {
      type: 'string',
      maxLength: 300,
      description: 'Comma-separated fields, `-` for descending: `-amount,name`',
    },
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 20 },
    cursor: { type: 'string', maxLength: 4000, description: 'The `nextCursor` of the previous page' },
    q: { type: 'string', maxLength: 200, description: 'Text search (Chinese and English)' },
    deleted: { type: 'boolean', description: 'List the recycle bin (soft-deleted records) instead' },
    total: {
      enum: ['auto', 'exact'],
      default: 'auto',
      description:
        '`exact` counts every match; by default a count the planner expects to be large (1,000 or more) is its estimate',
    },
  },
  additionalProperties: false,
};

export const confirmQuery: JsonSchema = {
  type: 'object',
  properties: { confirm: { type: 'boolean', description: 'Apply destructive changes' } },
  additionalProperties: false,
};

export const anyObject: JsonSchema = { type: 'object' };

export const components: Record<string, JsonSchema> = {
  ...peopleComponents,
  Error: {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          details: {
            type: 'object',
            properties: {
              fields: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    field: { type: 'string' },
                    code: { type: 'string' },
                    message: { type: 'string' },
                    params: { type: 'object' },
                  },
                  required: ['field', 'code', 'message'],
                },
              },
            },
          },
        },
        required: ['code', 'message', 'details'],
      },
    },
    required: ['error'],
  },
  User: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      email: { type: 'string' },
      name: { type: 'string' },
      isAdmin: { type: 'boolean' },
      status: { type: 'string', enum: ['active', 'disabled', 'invited'] },
      createdAt: { type: 'string', format: 'date-time' },
    },
    required: ['id', 'email', 'name', 'isAdmin', 'status', 'createdAt'],
  },
  ApiToken: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      prefix: { type: 'string' },
      expiresAt: { type: ['string', 'null'], format: 'date-time' },
      lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
      createdAt: { type: 'string', format: 'date-time' },
      scopes: {
        type: ['object', 'null'],
        description: 'Narrower than the member (null: everything the member may do)',
        properties: {
          actions: { type: 'array', items: { type: 'string' } },
          entities: { type: 'array', items: { type: 'string' } },
        },
      },
    },
    required: ['id', 'name', 'prefix', 'expiresAt', 'lastUsedAt', 'createdAt'],
  },
  Workspace: {
    type: 'object',
    properties: { key: { type: 'string', pattern: WORKSPACE_KEY_PATTERN }, name: { type: 'string' } },
    required: ['key', 'name'],
  },
  EntityDefinition: {
    type: 'object',
    description: 'An entity definition (see the metadata contract): key, label, fields, rules, titleField.',
    properties: {
      key: { type: 'string', pattern: ENTITY_KEY_PATTERN },
      label: {},
      description: {},
      fields: { type: 'array', items: { type: 'object' } },
      rules: { type: 'array', items: { type: 'object' } },
      titleField: { type: 'string' },
      version: { type: 'integer' },
    },
    required: ['fields'],
  },
  ChangeAnalysis: {
    type: 'object',
    properties: {
      destructive: { type: 'boolean' },
      changes: { type: 'array', items: { type: 'object' } },
    },
    required: ['destructive', 'changes'],
  },
  Record: {
    type: 'object',
    description: 'A record: field values keyed by field key plus the system fields.',
    properties: {
      id: { type: 'string', format: 'uuid' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
      createdBy: { type: ['string', 'null'] },
      ownerId: { type: ['string', 'null'] },
      version: { type: 'integer' },
    },
    required: ['id', 'version'],
  },
  RecordInput: { type: 'object', description: 'Field values keyed by field key.' },
  RecordPatch: {
    type: 'object',
    description: 'The fields to change; `version` (or an If-Match header) guards against lost updates.',
    properties: { version: { type: 'integer', minimum: 0 } },
  },
  RecordList: {
    type: 'object',
    properties: {
      items: { type: 'array', items: ref('Record') },
      nextCursor: { type: ['string', 'null'] },
      total: { type: 'integer' },
      totalExact: { type: 'boolean', description: 'false when `total` is an estimate' },
    },
    required: ['items', 'nextCursor', 'total', 'totalExact'],
  },
  HistoryEntry: {
    type: 'object',
    properties: {
      id: {},
      action: { type: 'string' },
      actor: { type: ['string', 'null'] },
      source: { type: ['string', 'null'] },
      at: { type: 'string', format: 'date-time' },
      changes: {
        type: 'array',
        items: { type: 'object', properties: { field: { type: 'string' }, before: {}, after: {} } },
      },
    },
  },
};

/**
 * Replaces every `{ $ref: '#/components/schemas/X' }` by the component itself (recursively), so a route's
 * schema can be compiled by Ajv on its own while OpenAPI keeps the references.
 */
export function inlineComponentRefs(schema: unknown, seen: readonly string[] = []): unknown {
  if (Array.isArray(schema)) return schema.map((s) => inlineComponentRefs(s, seen));
  if (!schema || typeof schema !== 'object') return schema;
  const obj = schema as Record<string, unknown>;
  const target =
    typeof obj.$ref === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(obj.$ref)?.[1] : undefined;
  if (target !== undefined) {
    const component = components[target];
    if (!component || seen.includes(target)) throw new Error(`cannot inline schema ${target}`);
    const { $ref: _ref, ...rest } = obj;
    const inlined = inlineComponentRefs(component, [...seen, target]) as Record<string, unknown>;
    return Object.keys(rest).length ? { allOf: [inlined, inlineComponentRefs(rest, seen)] } : inlined;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = inlineComponentRefs(v, seen);
  return out;
}
