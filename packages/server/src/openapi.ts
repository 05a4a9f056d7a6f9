import type { EntityDefinition } from '@formwork/metadata';
import type { AnyRoute, JsonSchema } from './route.js';
import { components, WORKSPACE_KEY_PATTERN } from './schemas.js';

/**
 * OpenAPI 3.1 from the route table plus the current entities of a workspace. Each entity gets
 * `Record_<entity>` / `RecordInput_<entity>` / `RecordPatch_<entity>` component schemas and its own copy of
 * the record routes (`/api/entities/<entity>/records…`) pointing at them.
 */

export interface EntitySchemas {
  /** The record as the API returns it (system fields included). */
  record(entity: EntityDefinition): JsonSchema;
  /** What a client sends to create a record. */
  input(entity: EntityDefinition): JsonSchema;
}

type Op = Record<string, unknown>;

const ERROR_STATUS: Record<string, string> = {
  '400': 'Malformed request (bad JSON, bad parameters)',
  '401': 'Missing, invalid, expired or revoked token',
  '403': 'Not allowed',
  '404': 'Not found',
  '409': 'Conflict (version, uniqueness, destructive change)',
  '413': 'Body too large',
  '415': 'Body is not JSON',
  '422': 'Validation failed; `details.fields` lists each field error',
  '429': 'Too many attempts; see Retry-After',
  '500': 'Internal error',
};

function errorResponse(description: string) {
  return {
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

function paramsOf(schema: JsonSchema | undefined, where: 'path' | 'query'): Op[] {
  const props = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema?.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' ? true : required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}

function operation(route: AnyRoute): Op {
  const parameters: Op[] = [...paramsOf(route.params, 'path'), ...paramsOf(route.query, 'query')];
  if (route.workspace) {
    parameters.push({
      name: 'X-Workspace',
      in: 'header',
      required: false,
      description: 'The workspace key (default `default`)',
      schema: { type: 'string', pattern: WORKSPACE_KEY_PATTERN, default: 'default' },
    });
  }
  for (const h of route.headers ?? []) {
    parameters.push({
      name: h.name,
      in: 'header',
      required: false,
      description: h.description,
      schema: h.schema,
    });
  }
  const responses: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(spec.schema ? { content: { 'application/json': { schema: spec.schema } } } : {}),
    };
  }
  const errors = ['400', '500'];
  if (route.auth === 'user') errors.push('401');
  if (route.admin) errors.push('403');
  if (route.workspace || route.params) errors.push('404');
  if (route.body || route.rawBody) errors.push('413', '415', '422');
  for (const s of errors) responses[s] ??= errorResponse(ERROR_STATUS[s] ?? 'Error');
  return {
    operationId: route.operationId,
    summary: route.summary.en,
    'x-summary-zh': route.summary['zh-CN'],
    ...(route.description ? { description: route.description } : {}),
    tags: route.tags,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: route.body } } } }
      : route.rawBody
        ? {
            requestBody: {
              required: true,
              ...(route.rawBody.description ? { description: route.rawBody.description } : {}),
              content: { [route.rawBody.contentType]: { schema: route.rawBody.schema } },
            },
          }
        : {}),
    responses,
    security: route.auth === 'user' ? [{ bearerAuth: [] }] : [],
  };
}

/** Deep copy with every `$ref` to one of the generic record schemas pointed at the entity's own. */
function retarget<T>(value: T, entity: string): T {
  if (Array.isArray(value)) return value.map((v) => retarget(v, entity)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') {
        const m = /^#\/components\/schemas\/(Record|RecordInput|RecordPatch|RecordList)$/.exec(v);
        out[k] = m ? `${v}_${entity}` : v;
      } else out[k] = retarget(v, entity);
    }
    return out as T;
  }
  return value;
}

const PER_ENTITY_PREFIX = '/api/entities/{entity}/records';

/** Whether a route is copied per entity in the document. */
export function isPerEntityRoute(route: AnyRoute): boolean {
  return route.path === PER_ENTITY_PREFIX || route.path.startsWith(`${PER_ENTITY_PREFIX}/`);
}

/** Moves `$defs` of an embedded schema into components, rewriting its local refs, so every `$ref` resolves. */
function embed(name: string, schema: JsonSchema, into: Record<string, JsonSchema>): JsonSchema {
  const {
    $defs,
    $schema: _s,
    $id: _i,
    ...rest
  } = schema as JsonSchema & { $defs?: Record<string, JsonSchema> };
  const rewrite = <T>(v: T): T => {
    if (Array.isArray(v)) return v.map(rewrite) as T;
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string' && x.startsWith('#/$defs/')) {
          out[k] = `#/components/schemas/${name}__${x.slice('#/$defs/'.length)}`;
        } else if (k === '$ref' && x === '#') out[k] = `#/components/schemas/${name}`;
        else out[k] = rewrite(x);
      }
      return out as T;
    }
    return v;
  };
  for (const [k, d] of Object.entries($defs ?? {})) into[`${name}__${k}`] = rewrite(d);
  return rewrite(rest);
}

function patchSchemaOf(input: JsonSchema): JsonSchema {
  const { required: _r, ...rest } = input;
  const props = (rest.properties ?? {}) as Record<string, unknown>;
  return {
    ...rest,
    properties: { ...props, version: { type: 'integer', minimum: 0, description: 'The version you read' } },
  };
}

export function buildOpenApi(
  routes: readonly AnyRoute[],
  opts: {
    entities?: readonly EntityDefinition[];
    schemas?: EntitySchemas;
    workspace?: string;
    version?: string;
  },
): Record<string, unknown> {
  const paths: Record<string, Record<string, Op>> = {};
  const add = (path: string, method: string, op: Op) => {
    paths[path] ??= {};
    (paths[path] as Record<string, Op>)[method] = op;
  };
  for (const r of routes) add(r.path, r.method.toLowerCase(), operation(r));

  const schemas: Record<string, JsonSchema> = { ...components };
  for (const entity of opts.entities ?? []) {
    if (!opts.schemas) break;
    const k = entity.key;
    const record = opts.schemas.record(entity);
    const input = opts.schemas.input(entity);
    schemas[`Record_${k}`] = embed(`Record_${k}`, record, schemas);
    const embeddedInput = embed(`RecordInput_${k}`, input, schemas);
    schemas[`RecordInput_${k}`] = embeddedInput;
    schemas[`RecordPatch_${k}`] = patchSchemaOf(embeddedInput);
    schemas[`RecordList_${k}`] = retarget(components.RecordList as JsonSchema, k);
    for (const r of routes) {
      if (!isPerEntityRoute(r)) continue;
      const op = retarget(operation(r), k);
      op.operationId = `${r.operationId}_${k}`;
      op.tags = [`records:${k}`];
      op.parameters = ((op.parameters as Op[] | undefined) ?? []).filter((p) => p.name !== 'entity');
      add(r.path.replace('{entity}', k), r.method.toLowerCase(), op);
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Formwork API',
      version: opts.version ?? '0.1.0',
      description: `REST API of Formwork${opts.workspace ? ` (workspace \`${opts.workspace}\`)` : ''}.`,
    },
    servers: [{ url: '/' }],
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    tags: [...new Set(routes.flatMap((r) => r.tags))].map((name) => ({ name })),
    paths,
    components: {
      schemas,
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } },
    },
  };
}
