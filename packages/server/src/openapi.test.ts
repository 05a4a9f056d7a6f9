import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from './openapi.js';
import { checkOpenApi } from './openapi-check.js';
import { defineRoute } from './route.js';
import { ref } from './schemas.js';

const routes = [
  defineRoute({
    method: 'GET',
    path: '/api/entities/{entity}/records/{id}',
    operationId: 'getRecord',
    summary: { en: 'Get a record', 'zh-CN': '获取记录' },
    tags: ['records'],
    auth: 'user',
    workspace: true,
    params: {
      type: 'object',
      properties: { entity: { type: 'string' }, id: { type: 'string', format: 'uuid' } },
      required: ['entity', 'id'],
    },
    responses: { '200': { description: 'The record', schema: ref('Record') } },
    handler: async () => ({ body: {} }),
  }),
  defineRoute({
    method: 'GET',
    path: '/api/health',
    operationId: 'health',
    summary: { en: 'Health', 'zh-CN': '健康检查' },
    tags: ['system'],
    auth: 'none',
    responses: { '200': { description: 'ok' } },
    handler: async () => ({ body: {} }),
  }),
];

const customer: EntityDefinition = { key: 'customer', fields: [{ key: 'name', type: 'text' }] };

describe('buildOpenApi', () => {
  it('describes each route once with summary, x-summary-zh, security and error responses', () => {
    const doc = buildOpenApi(routes, {});
    const op = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)[
      '/api/entities/{entity}/records/{id}'
    ]?.get;
    expect(op).toMatchObject({
      operationId: 'getRecord',
      summary: 'Get a record',
      'x-summary-zh': '获取记录',
      security: [{ bearerAuth: [] }],
    });
    expect(Object.keys(op?.responses as object)).toEqual(
      expect.arrayContaining(['200', '400', '401', '404']),
    );
    expect(checkOpenApi(doc, routes)).toEqual([]);
  });

  it('gives each entity its record schemas and its own copy of the record routes, and moves $defs into components', () => {
    const doc = buildOpenApi(routes, {
      entities: [customer],
      schemas: {
        record: () => ({
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          type: 'object',
          properties: { name: { $ref: '#/$defs/name' } },
          $defs: { name: { type: 'string' } },
        }),
        input: () => ({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }),
      },
    });
    const schemas = (doc.components as { schemas: Record<string, Record<string, unknown>> }).schemas;
    expect(Object.keys(schemas)).toEqual(
      expect.arrayContaining([
        'Record_customer',
        'RecordInput_customer',
        'RecordPatch_customer',
        'Record_customer__name',
      ]),
    );
    expect(schemas.RecordPatch_customer?.required).toBeUndefined();
    const op = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)[
      '/api/entities/customer/records/{id}'
    ]?.get;
    expect(op?.operationId).toBe('getRecord_customer');
    expect(JSON.stringify(op)).toContain('#/components/schemas/Record_customer');
    expect(checkOpenApi(doc, routes)).toEqual([]);
  });

  it('the checker finds dangling references and missing routes', () => {
    const doc = buildOpenApi(routes, {});
    (doc.components as { schemas: Record<string, unknown> }).schemas.Broken = {
      $ref: '#/components/schemas/Nope',
    };
    delete (doc.paths as Record<string, unknown>)['/api/health'];
    const problems = checkOpenApi(doc, routes);
    expect(problems).toContain('unresolved $ref #/components/schemas/Nope');
    expect(problems).toContain('missing GET /api/health');
  });
});
