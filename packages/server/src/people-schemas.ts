/** OpenAPI component schemas of people and permissions (members, departments, roles, audit, `me`). */
import { ENTITY_ACTIONS, PRESETS, SCOPE_TYPES } from '@formwork/store';
import type { JsonSchema } from './route.js';

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const uuid = { type: 'string', format: 'uuid' };
const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };
const message = {
  type: 'object',
  properties: { 'zh-CN': { type: 'string' }, en: { type: 'string' } },
  required: ['zh-CN', 'en'],
};

export const peopleComponents: Record<string, JsonSchema> = {
  EntityAction: { enum: [...ENTITY_ACTIONS] },
  DataScope: {
    type: 'object',
    description:
      'own = owner or creator; department = the member’s departments; departmentTree = those and every ' +
      'department below; custom = a filter where `$user`, `$department`, `$departmentTree` stand for the member',
    properties: { type: { enum: [...SCOPE_TYPES] }, filter: { type: 'object' } },
    required: ['type'],
  },
  EntityRule: {
    type: 'object',
    description:
      'Either a preset or actions + scope; `fields` hides or freezes fields; `limits` bound numbers',
    properties: {
      preset: { enum: [...PRESETS] },
      actions: { type: 'array', items: ref('EntityAction'), uniqueItems: true },
      scope: ref('DataScope'),
      fields: { type: 'object', additionalProperties: { enum: ['hidden', 'readonly'] } },
      limits: {
        type: 'array',
        items: {
          type: 'object',
          properties: { field: { type: 'string' }, min: { type: 'number' }, max: { type: 'number' } },
          required: ['field'],
        },
      },
    },
  },
  RolePermissions: {
    type: 'object',
    description: 'Per entity key (or `*` for every entity without its own rule), the role’s rule',
    properties: { entities: { type: 'object', additionalProperties: ref('EntityRule') } },
    required: ['entities'],
  },
  Role: {
    type: 'object',
    properties: {
      id: uuid,
      key: { type: 'string' },
      name: message,
      builtin: { type: 'boolean' },
      isAdmin: { type: 'boolean' },
      permissions: ref('RolePermissions'),
      version: { type: 'integer' },
      memberCount: { type: 'integer' },
    },
    required: ['id', 'key', 'name', 'builtin', 'isAdmin', 'permissions', 'version', 'memberCount'],
  },
  Member: {
    type: 'object',
    properties: {
      userId: uuid,
      email: { type: 'string' },
      name: { type: 'string' },
      status: { enum: ['invited', 'active', 'deactivated'] },
      departmentIds: { type: 'array', items: uuid },
      primaryDepartmentId: nullableUuid,
      roleIds: { type: 'array', items: uuid },
      invitedAt: nullableTime,
      activatedAt: nullableTime,
      deactivatedAt: nullableTime,
      successorId: nullableUuid,
    },
    required: ['userId', 'email', 'name', 'status', 'departmentIds', 'primaryDepartmentId', 'roleIds'],
  },
  Department: {
    type: 'object',
    properties: {
      id: uuid,
      name: { type: 'string' },
      parentId: nullableUuid,
      headId: nullableUuid,
      sort: { type: 'integer' },
      memberCount: { type: 'integer' },
    },
    required: ['id', 'name', 'parentId', 'headId', 'sort', 'memberCount'],
  },
  AuditEvent: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      at: { type: 'string', format: 'date-time' },
      workspace: { type: ['string', 'null'] },
      actor: nullableUuid,
      action: {
        type: 'string',
        description:
          'auth.login, auth.rejected, access.denied, member.*, department.*, permission.*, schema.*',
      },
      targetType: { type: ['string', 'null'] },
      targetId: { type: ['string', 'null'] },
      ok: { type: 'boolean' },
      ip: { type: ['string', 'null'] },
      userAgent: { type: ['string', 'null'] },
      tokenId: nullableUuid,
      requestId: { type: ['string', 'null'] },
      details: { type: 'object' },
    },
    required: ['id', 'at', 'action', 'ok', 'details'],
  },
  EntityPermissions: {
    type: 'object',
    properties: {
      actions: { type: 'array', items: ref('EntityAction') },
      scopes: { type: 'object', additionalProperties: { type: 'array', items: ref('DataScope') } },
      hiddenFields: { type: 'array', items: { type: 'string' } },
      readonlyFields: { type: 'array', items: { type: 'string' } },
      limits: { type: 'array', items: { type: 'object' } },
    },
    required: ['actions', 'scopes', 'hiddenFields', 'readonlyFields', 'limits'],
  },
  Me: {
    type: 'object',
    properties: {
      user: ref('User'),
      roles: { type: 'array', items: { type: 'string' } },
      authMethod: { enum: ['session', 'token'] },
      workspace: { type: ['string', 'null'] },
      isAdmin: {
        type: 'boolean',
        description: 'Workspace or system administrator (not narrowed by a token)',
      },
      member: {
        type: ['object', 'null'],
        properties: {
          status: { enum: ['invited', 'active', 'deactivated', 'none'] },
          departmentIds: { type: 'array', items: uuid },
          primaryDepartmentId: nullableUuid,
        },
      },
      tokenScopes: { type: ['object', 'null'] },
      permissions: { type: 'object', additionalProperties: ref('EntityPermissions') },
    },
    required: ['user', 'roles', 'authMethod', 'workspace'],
  },
};
