import { DomainError } from '@formwork/metadata';
import { type DefinitionKind, type TaskAction, type WorkflowRuntime, workspaceSchema } from '@formwork/store';
import { type AnyRoute, defineRoute, type JsonSchema } from './route.js';
import { ENTITY_KEY_PATTERN, noQuery } from './schemas.js';

/**
 * The workflow API: flows, blueprints and automations (versioned definitions: CRUD, validate, publish),
 * flow instances (start on a record, act on tasks, withdraw, urge, comment, history — 流转记录), the task
 * lists (待办 / 已办 / 我发起的 / 抄送我的), stage moves enforcing a blueprint, automation run history and
 * dry runs, in-app notifications, and the job queue's failures (jobs, webhooks) for administrators.
 */

const m = (zh: string, en: string) => ({ 'zh-CN': zh, en });
const KEY = '^[a-z][a-zA-Z0-9_.-]{0,99}$';
const obj = (properties: Record<string, JsonSchema>, required: string[] = [], extra = false): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: extra,
});
const keyParams = obj({ key: { type: 'string', pattern: KEY } }, ['key']);
const uuidParams = obj({ id: { type: 'string', format: 'uuid' } }, ['id']);
const taskParams = obj({ id: { type: 'string', minLength: 1, maxLength: 200 } }, ['id']);
const comment = { type: 'string', maxLength: 5000 };
const idem = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description: 'Sending the same key again applies the event once',
};
const message = obj({ 'zh-CN': { type: 'string' }, en: { type: 'string' } }, ['zh-CN', 'en']);
const issues = { type: 'array', items: { type: 'object' } };

const definitionSummary: JsonSchema = obj(
  {
    kind: { enum: ['flow', 'blueprint', 'automation'] },
    key: { type: 'string' },
    entity: { type: 'string' },
    name: {},
    enabled: { type: 'boolean' },
    owner: {
      type: ['string', 'null'],
      description: 'The member who owns it: its creator, or their successor after a hand-over',
    },
    publishedVersion: { type: ['integer', 'null'] },
    changed: { type: 'boolean', description: 'The draft differs from the published version' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  ['kind', 'key', 'entity', 'enabled', 'publishedVersion', 'changed'],
  true,
);
const definitionDetail: JsonSchema = {
  ...definitionSummary,
  properties: {
    ...(definitionSummary.properties as Record<string, JsonSchema>),
    draft: { type: 'object' },
    published: { type: ['object', 'null'] },
    versions: {
      type: 'array',
      items: obj(
        {
          version: { type: 'integer' },
          publishedAt: { type: 'string' },
          publishedBy: { type: ['string', 'null'] },
        },
        [],
        true,
      ),
    },
  },
};
const definitionVersion: JsonSchema = obj(
  {
    kind: { enum: ['flow', 'blueprint', 'automation'] },
    key: { type: 'string' },
    version: { type: 'integer' },
    definition: { type: 'object' },
    publishedAt: { type: 'string', format: 'date-time' },
    publishedBy: { type: ['string', 'null'] },
  },
  ['kind', 'key', 'version', 'definition', 'publishedAt', 'publishedBy'],
);
const taskSchema: JsonSchema = obj(
  {
    id: { type: 'string' },
    instanceId: { type: 'string', format: 'uuid' },
    nodeId: { type: 'string' },
    kind: { enum: ['approval', 'fillIn', 'resubmit'] },
    assignee: { type: 'string' },
    status: { type: 'string' },
    round: { type: 'integer' },
    createdAt: { type: 'string' },
    closedAt: { type: ['string', 'null'] },
  },
  [],
  true,
);
const instanceSchema: JsonSchema = obj(
  {
    id: { type: 'string', format: 'uuid' },
    flow: { type: 'string' },
    version: { type: 'integer', description: 'The flow version the instance runs on (to its end)' },
    entity: { type: 'string' },
    recordId: { type: 'string', format: 'uuid' },
    submitter: { type: 'string' },
    status: { enum: ['active', 'approved', 'rejected', 'cancelled'] },
    activeNodes: { type: 'array', items: { type: 'string' } },
    tasks: { type: 'array', items: taskSchema },
    myTasks: {
      type: 'array',
      items: taskSchema,
      description: "The caller's open tasks with `fields` (editable / readOnly / hidden) of their node",
    },
    replayed: { type: 'boolean', description: 'Answered from an idempotency key already used' },
  },
  ['id', 'flow', 'version', 'status', 'tasks'],
  true,
);
const historySchema: JsonSchema = obj(
  {
    id: { type: 'integer' },
    action: { type: 'string' },
    nodeId: { type: ['string', 'null'] },
    actor: { type: ['string', 'null'] },
    comment: { type: ['string', 'null'] },
    to: { type: ['array', 'null'] },
    changes: { type: ['object', 'null'], description: 'Field edits made with the action' },
    at: { type: 'string', format: 'date-time' },
  },
  [],
  true,
);
const jobSchema: JsonSchema = obj(
  {
    id: { type: 'integer' },
    kind: { type: 'string' },
    status: { enum: ['pending', 'running', 'done', 'failed', 'cancelled'] },
    runAt: { type: 'string' },
    attempts: { type: 'integer' },
    maxAttempts: { type: 'integer' },
    lastError: { type: ['string', 'null'] },
  },
  [],
  true,
);
const runSchema: JsonSchema = obj(
  {
    id: { type: 'string' },
    status: { enum: ['ok', 'partial', 'skipped', 'failed'] },
    trigger: { type: 'string' },
    recordId: { type: ['string', 'null'] },
    effects: { type: 'array', items: { type: 'object' } },
    skipped: { type: 'array', items: { type: 'object' } },
    error: { type: ['string', 'null'] },
    dryRun: { type: 'boolean' },
    at: { type: 'string' },
  },
  [],
  true,
);
const items = (schema: JsonSchema, more: Record<string, JsonSchema> = {}) =>
  obj({ items: { type: 'array', items: schema }, ...more }, ['items'], true);

const KINDS: Array<{ kind: DefinitionKind; path: string; tag: string; op: string; zh: string; en: string }> =
  [
    { kind: 'flow', path: '/api/flows', tag: 'flows', op: 'Flow', zh: '流程', en: 'flow' },
    {
      kind: 'blueprint',
      path: '/api/blueprints',
      tag: 'blueprints',
      op: 'Blueprint',
      zh: '蓝图',
      en: 'blueprint',
    },
    {
      kind: 'automation',
      path: '/api/automations',
      tag: 'automations',
      op: 'Automation',
      zh: '智能助手',
      en: 'automation',
    },
  ];

export interface WorkflowRoutesDeps {
  workflow: WorkflowRuntime;
}

export function buildWorkflowRoutes(deps: WorkflowRoutesDeps): AnyRoute[] {
  const wf = deps.workflow;
  const routes: AnyRoute[] = [];
  const add = (r: AnyRoute) => routes.push(r);

  for (const k of KINDS) {
    add(
      defineRoute<unknown, { entity?: string }>({
        method: 'GET',
        path: k.path,
        operationId: `list${k.op}s`,
        summary: { en: `List ${k.en}s`, 'zh-CN': `${k.zh}列表` },
        tags: [k.tag],
        auth: 'user',
        workspace: true,
        query: obj({ entity: { type: 'string', pattern: ENTITY_KEY_PATTERN } }),
        responses: { '200': { description: `The ${k.en}s`, schema: items(definitionSummary) } },
        async handler({ ws, query }) {
          return {
            body: {
              items: await wf.definitions.list(ws, k.kind, query.entity ? { entity: query.entity } : {}),
            },
          };
        },
      }),
    );
    add(
      defineRoute({
        method: 'POST',
        path: k.path,
        operationId: `create${k.op}`,
        summary: { en: `Create a ${k.en} (draft)`, 'zh-CN': `新建${k.zh}（草稿）` },
        description:
          'The definition is checked against its JSON Schema (422 naming each wrong property). Publish it to use it.',
        tags: [k.tag],
        auth: 'user',
        admin: true,
        audit: `workflow.${k.kind}.create`,
        workspace: true,
        query: noQuery,
        body: { type: 'object' },
        responses: { '201': { description: 'The definition', schema: definitionDetail } },
        async handler({ ws, principal, body }) {
          return { status: 201, body: await wf.definitions.create(ws, principal, k.kind, body) };
        },
      }),
    );
    add(
      defineRoute({
        method: 'POST',
        path: `${k.path}/validate`,
        operationId: `validate${k.op}`,
        summary: { en: `Check a ${k.en} against the workspace`, 'zh-CN': `校验${k.zh}` },
        description: 'Errors block publishing; warnings (e.g. an assignee rule that may find no one) do not.',
        tags: [k.tag],
        auth: 'user',
        admin: true,
        workspace: true,
        query: noQuery,
        body: { type: 'object' },
        responses: {
          '200': {
            description: 'The result',
            schema: obj({ ok: { type: 'boolean' }, issues, warnings: issues }, ['ok', 'issues', 'warnings']),
          },
        },
        async handler({ ws, body }) {
          return { body: await wf.definitions.validate(ws, k.kind, body) };
        },
      }),
    );
    add(
      defineRoute<{ key: string }>({
        method: 'GET',
        path: `${k.path}/{key}`,
        operationId: `get${k.op}`,
        summary: { en: `A ${k.en} with its draft, published version and versions`, 'zh-CN': `${k.zh}详情` },
        tags: [k.tag],
        auth: 'user',
        workspace: true,
        params: keyParams,
        query: noQuery,
        responses: { '200': { description: 'The definition', schema: definitionDetail } },
        async handler({ ws, params }) {
          return { body: await wf.definitions.get(ws, k.kind, params.key) };
        },
      }),
    );
    add(
      defineRoute<{ key: string; version: string }>({
        method: 'GET',
        path: `${k.path}/{key}/versions/{version}`,
        operationId: `get${k.op}Version`,
        summary: { en: `One published version of a ${k.en}`, 'zh-CN': `${k.zh}的某个发布版本` },
        description: 'As it was published: what the instances started on it follow to their end.',
        tags: [k.tag],
        auth: 'user',
        workspace: true,
        params: obj(
          {
            key: { type: 'string', pattern: KEY },
            version: { type: 'string', pattern: '^[1-9][0-9]{0,8}$' },
          },
          ['key', 'version'],
        ),
        query: noQuery,
        responses: { '200': { description: 'The version', schema: definitionVersion } },
        async handler({ ws, params }) {
          return { body: await wf.definitions.version(ws, k.kind, params.key, Number(params.version)) };
        },
      }),
    );
    add(
      defineRoute<{ key: string }>({
        method: 'PUT',
        path: `${k.path}/{key}`,
        operationId: `update${k.op}`,
        summary: { en: `Replace a ${k.en}'s draft`, 'zh-CN': `修改${k.zh}草稿` },
        tags: [k.tag],
        auth: 'user',
        admin: true,
        audit: `workflow.${k.kind}.update`,
        workspace: true,
        params: keyParams,
        query: noQuery,
        body: { type: 'object' },
        responses: { '200': { description: 'The definition', schema: definitionDetail } },
        async handler({ ws, principal, params, body }) {
          return { body: await wf.definitions.update(ws, principal, k.kind, params.key, body) };
        },
      }),
    );
    add(
      defineRoute<{ key: string }>({
        method: 'DELETE',
        path: `${k.path}/{key}`,
        operationId: `delete${k.op}`,
        summary: { en: `Delete a ${k.en}`, 'zh-CN': `删除${k.zh}` },
        description: 'Running instances finish on their version; automations stop firing.',
        tags: [k.tag],
        auth: 'user',
        admin: true,
        audit: `workflow.${k.kind}.delete`,
        workspace: true,
        params: keyParams,
        query: noQuery,
        responses: { '204': { description: 'Deleted' } },
        async handler({ ws, params }) {
          await wf.definitions.remove(ws, k.kind, params.key);
          return { status: 204 };
        },
      }),
    );
    add(
      defineRoute<{ key: string }>({
        method: 'POST',
        path: `${k.path}/{key}/publish`,
        operationId: `publish${k.op}`,
        summary: { en: `Publish a ${k.en}'s draft as a new version`, 'zh-CN': `发布${k.zh}` },
        description: 'Refused with 422 and every issue when the draft does not pass the checks.',
        tags: [k.tag],
        auth: 'user',
        admin: true,
        audit: `workflow.${k.kind}.publish`,
        workspace: true,
        params: keyParams,
        query: noQuery,
        responses: { '200': { description: 'The definition', schema: definitionDetail } },
        async handler({ ws, principal, params }) {
          return { body: await wf.definitions.publish(ws, principal, k.kind, params.key) };
        },
      }),
    );
  }

  add(
    defineRoute<{ key: string }, unknown, { enabled: boolean }>({
      method: 'PUT',
      path: '/api/automations/{key}/enabled',
      operationId: 'setAutomationEnabled',
      summary: { en: 'Turn an automation on or off', 'zh-CN': '启用或停用智能助手' },
      tags: ['automations'],
      auth: 'user',
      admin: true,
      audit: 'workflow.automation.enable',
      workspace: true,
      params: keyParams,
      query: noQuery,
      body: obj({ enabled: { type: 'boolean' } }, ['enabled']),
      responses: { '200': { description: 'The definition', schema: definitionDetail } },
      async handler({ ws, params, body }) {
        return { body: await wf.definitions.setEnabled(ws, 'automation', params.key, body.enabled) };
      },
    }),
  );
  add(
    defineRoute<{ key: string }, { limit?: number }>({
      method: 'GET',
      path: '/api/automations/{key}/runs',
      operationId: 'listAutomationRuns',
      summary: { en: 'Run history of an automation', 'zh-CN': '智能助手执行记录' },
      tags: ['automations'],
      auth: 'user',
      admin: true,
      workspace: true,
      params: keyParams,
      query: obj({ limit: { type: 'integer', minimum: 1, maximum: 200 } }),
      responses: { '200': { description: 'Newest first', schema: items(runSchema) } },
      async handler({ ws, params, query }) {
        return {
          body: {
            items: await wf.automations.runs(ws, params.key, query.limit ? { limit: query.limit } : {}),
          },
        };
      },
    }),
  );
  add(
    defineRoute<{ key: string }, unknown, { recordId?: string; before?: Record<string, unknown> }>({
      method: 'POST',
      path: '/api/automations/{key}/dry-run',
      operationId: 'dryRunAutomation',
      summary: {
        en: "Plan an automation's draft against a record, applying nothing",
        'zh-CN': '试运行智能助手',
      },
      description: '`before` gives the values before a simulated update (field-changed triggers).',
      tags: ['automations'],
      auth: 'user',
      admin: true,
      workspace: true,
      params: keyParams,
      query: noQuery,
      body: obj({ recordId: { type: 'string', format: 'uuid' }, before: { type: 'object' } }),
      responses: {
        '200': {
          description: 'What would happen',
          schema: {
            ...runSchema,
            properties: { ...(runSchema.properties as object), matched: { type: 'boolean' } },
          },
        },
      },
      async handler({ ws, principal, params, body }) {
        return { body: await wf.automations.dryRun(ws, principal, params.key, body) };
      },
    }),
  );

  // --- instances and tasks -------------------------------------------------------------------------
  add(
    defineRoute<{ key: string }, unknown, { recordId: string }>({
      method: 'POST',
      path: '/api/flows/{key}/instances',
      operationId: 'startFlow',
      summary: { en: 'Start a flow on a record', 'zh-CN': '对记录发起流程' },
      description: 'The caller must be able to read the record; the latest published version is used.',
      tags: ['flows'],
      auth: 'user',
      workspace: true,
      params: keyParams,
      query: noQuery,
      body: obj({ recordId: { type: 'string', format: 'uuid' } }, ['recordId']),
      responses: { '201': { description: 'The instance', schema: instanceSchema } },
      async handler({ ws, principal, params, body }) {
        return {
          status: 201,
          body: await wf.instances.start(ws, principal, { flow: params.key, recordId: body.recordId }),
        };
      },
    }),
  );
  add(
    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/api/instances/{id}',
      operationId: 'getInstance',
      summary: { en: 'A flow instance', 'zh-CN': '流程实例' },
      description: 'Visible to its submitter, assignees, copied members and administrators.',
      tags: ['flows'],
      auth: 'user',
      workspace: true,
      params: uuidParams,
      query: noQuery,
      responses: { '200': { description: 'The instance', schema: instanceSchema } },
      async handler({ ws, principal, params }) {
        return { body: await wf.instances.get(ws, principal, params.id) };
      },
    }),
  );
  add(
    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/api/instances/{id}/record',
      operationId: 'getInstanceRecord',
      summary: { en: 'The record of an instance, as its participant sees it', 'zh-CN': '流程中的记录' },
      description:
        'For the submitter, assignees, copied members and administrators — also outside their data scope — without the fields their roles hide or the node of their latest task hides.',
      tags: ['flows'],
      auth: 'user',
      workspace: true,
      params: uuidParams,
      query: noQuery,
      responses: {
        '200': { description: 'The record', schema: { type: 'object', additionalProperties: true } },
      },
      async handler({ ws, principal, params }) {
        return { body: await wf.instances.record(ws, principal, params.id) };
      },
    }),
  );
  add(
    defineRoute<{ id: string }>({
      method: 'GET',
      path: '/api/instances/{id}/history',
      operationId: 'getInstanceHistory',
      summary: { en: 'Instance history: who, what, when, comment, field changes', 'zh-CN': '流转记录' },
      tags: ['flows'],
      auth: 'user',
      workspace: true,
      params: uuidParams,
      query: noQuery,
      responses: { '200': { description: 'Oldest first', schema: items(historySchema) } },
      async handler({ ws, principal, params }) {
        return { body: { items: await wf.instances.history(ws, principal, params.id) } };
      },
    }),
  );
  for (const [action, zh, en, op] of [
    ['withdraw', '撤回', 'Withdraw an instance (its submitter, while no one has acted)', 'withdrawInstance'],
    ['urge', '催办', 'Urge the assignees of the open tasks (the submitter)', 'urgeInstance'],
    ['comment', '评论', 'Comment on an instance (participants)', 'commentInstance'],
    ['cancel', '终止', 'Cancel an instance (administrators)', 'cancelInstance'],
  ] as const) {
    add(
      defineRoute<{ id: string }, unknown, { comment?: string; idempotencyKey?: string }>({
        method: 'POST',
        path: `/api/instances/{id}/${action}`,
        operationId: op,
        summary: { en, 'zh-CN': zh },
        tags: ['flows'],
        auth: 'user',
        workspace: true,
        params: uuidParams,
        query: noQuery,
        body: obj(
          { comment: action === 'comment' ? { ...comment, minLength: 1 } : comment, idempotencyKey: idem },
          action === 'comment' ? ['comment'] : [],
        ),
        responses: { '200': { description: 'The instance', schema: instanceSchema } },
        async handler({ ws, principal, params, body }) {
          return { body: await wf.instances.event(ws, principal, params.id, { type: action, ...body }) };
        },
      }),
    );
  }
  add(
    defineRoute<{ entity: string; id: string }>({
      method: 'GET',
      path: '/api/entities/{entity}/records/{id}/instances',
      operationId: 'listRecordInstances',
      summary: { en: 'Flow instances of a record', 'zh-CN': '记录的流程' },
      tags: ['flows'],
      auth: 'user',
      workspace: true,
      params: obj(
        { entity: { type: 'string', pattern: ENTITY_KEY_PATTERN }, id: { type: 'string', format: 'uuid' } },
        ['entity', 'id'],
      ),
      query: noQuery,
      responses: { '200': { description: 'Newest first', schema: items({ type: 'object' }) } },
      async handler({ ws, principal, params }) {
        return { body: { items: await wf.instances.ofRecord(ws, principal, params.entity, params.id) } };
      },
    }),
  );
  add(
    defineRoute<unknown, { view: 'todo' | 'done' | 'startedByMe' | 'ccMe'; limit?: number; offset?: number }>(
      {
        method: 'GET',
        path: '/api/tasks',
        operationId: 'listTasks',
        summary: {
          en: 'My tasks: to do, done, started by me, CC’d to me',
          'zh-CN': '待办 / 已办 / 我发起的 / 抄送我的',
        },
        tags: ['flows'],
        auth: 'user',
        workspace: true,
        query: obj(
          {
            view: { enum: ['todo', 'done', 'startedByMe', 'ccMe'], default: 'todo' },
            limit: { type: 'integer', minimum: 1, maximum: 200 },
            offset: { type: 'integer', minimum: 0, maximum: 100000 },
          },
          [],
        ),
        responses: {
          '200': {
            description: 'Newest first',
            schema: items({ type: 'object' }, { total: { type: 'integer' } }),
          },
        },
        async handler({ ws, principal, query }) {
          return {
            body: await wf.tasks.list(ws, principal, {
              view: query.view ?? 'todo',
              ...(query.limit ? { limit: query.limit } : {}),
              ...(query.offset ? { offset: query.offset } : {}),
            }),
          };
        },
      },
    ),
  );
  add(
    defineRoute<{ id: string }, unknown, TaskAction & { idempotencyKey?: string }>({
      method: 'POST',
      path: '/api/tasks/{id}/actions',
      operationId: 'actOnTask',
      summary: {
        en: 'Approve, reject, submit, transfer, add a signer or comment on a task',
        'zh-CN': '处理待办（同意、拒绝、提交、转交、加签、评论）',
      },
      description:
        '`fields` carries record edits the node allows (422 `fieldNotEditable` naming the others); `to` is the ' +
        'member a task is transferred to, or where a rejection sends the instance (`end`, `submitter` or a node id). ' +
        'A refused action changes nothing (403 not the assignee, 409 task already closed, 422 otherwise).',
      tags: ['flows'],
      auth: 'user',
      workspace: true,
      params: taskParams,
      query: noQuery,
      body: obj(
        {
          type: { enum: ['approve', 'reject', 'submit', 'transfer', 'addSigner', 'comment'] },
          comment,
          fields: { type: 'object' },
          to: { type: 'string', minLength: 1, maxLength: 200 },
          members: {
            type: 'array',
            minItems: 1,
            maxItems: 50,
            items: { type: 'string', minLength: 1, maxLength: 200 },
          },
          position: { enum: ['before', 'after'] },
          idempotencyKey: idem,
        },
        ['type'],
      ),
      responses: { '200': { description: 'The instance after the action', schema: instanceSchema } },
      async handler({ ws, principal, params, body }) {
        if (body.type === 'comment' && !(body.comment ?? '').trim()) {
          throw new DomainError('VALIDATION_FAILED', {}, [
            { field: 'comment', code: 'required', message: m('请填写评论', 'A comment is required') },
          ]);
        }
        return { body: await wf.instances.act(ws, principal, params.id, body) };
      },
    }),
  );

  // --- blueprints ----------------------------------------------------------------------------------
  add(
    defineRoute<{ key: string }, unknown, { recordId: string; to: string; fields?: Record<string, unknown> }>(
      {
        method: 'POST',
        path: '/api/blueprints/{key}/move',
        operationId: 'moveStage',
        summary: { en: "Move a record's stage through the blueprint", 'zh-CN': '按蓝图推进阶段' },
        description:
          'A refused move is 422 (403 when the rule names who may perform it) with `details.rule` (the transition that ' +
          'refused), `details.missingFields` and one issue per missing field.',
        tags: ['blueprints'],
        auth: 'user',
        workspace: true,
        params: keyParams,
        query: noQuery,
        body: obj(
          {
            recordId: { type: 'string', format: 'uuid' },
            to: { type: 'string', minLength: 1, maxLength: 100 },
            fields: { type: 'object' },
          },
          ['recordId', 'to'],
        ),
        responses: {
          '200': {
            description: 'The record after the move',
            schema: obj(
              {
                record: { type: 'object' },
                transition: { type: 'string' },
                from: { type: ['string', 'null'] },
                to: { type: 'string' },
              },
              [],
              true,
            ),
          },
        },
        async handler({ ws, principal, params, body }) {
          return { body: await wf.blueprints.moveStage(ws, principal, { blueprint: params.key, ...body }) };
        },
      },
    ),
  );
  add(
    defineRoute<{ key: string; recordId: string }>({
      method: 'GET',
      path: '/api/blueprints/{key}/records/{recordId}/stages',
      operationId: 'getStageHistory',
      summary: { en: 'Stage history and time in each stage', 'zh-CN': '阶段历史与停留时长' },
      tags: ['blueprints'],
      auth: 'user',
      workspace: true,
      params: obj({ key: { type: 'string', pattern: KEY }, recordId: { type: 'string', format: 'uuid' } }, [
        'key',
        'recordId',
      ]),
      query: noQuery,
      responses: {
        '200': {
          description: 'Entries oldest first',
          schema: obj({ entries: { type: 'array' }, timeInStage: { type: 'object' } }, [
            'entries',
            'timeInStage',
          ]),
        },
      },
      async handler({ ws, principal, params }) {
        return { body: await wf.blueprints.stageHistory(ws, principal, params.key, params.recordId) };
      },
    }),
  );

  // --- notifications -------------------------------------------------------------------------------
  add(
    defineRoute<unknown, { unread?: boolean; limit?: number }>({
      method: 'GET',
      path: '/api/notifications',
      operationId: 'listNotifications',
      summary: { en: 'My notifications', 'zh-CN': '我的通知' },
      tags: ['notifications'],
      auth: 'user',
      workspace: true,
      query: obj({ unread: { type: 'boolean' }, limit: { type: 'integer', minimum: 1, maximum: 200 } }),
      responses: {
        '200': {
          description: 'Newest first, with the unread count',
          schema: items(
            obj(
              {
                id: { type: 'string' },
                kind: { type: 'string' },
                title: message,
                body: { anyOf: [message, { type: 'null' }] },
                readAt: { type: ['string', 'null'] },
              },
              [],
              true,
            ),
            { unread: { type: 'integer' } },
          ),
        },
      },
      async handler({ ws, principal, query }) {
        return { body: await wf.notifications.list(ws, principal, query) };
      },
    }),
  );
  add(
    defineRoute<unknown, unknown, { ids?: string[] }>({
      method: 'POST',
      path: '/api/notifications/read',
      operationId: 'markNotificationsRead',
      summary: { en: 'Mark notifications read (all without `ids`)', 'zh-CN': '标记通知为已读' },
      tags: ['notifications'],
      auth: 'user',
      workspace: true,
      query: noQuery,
      body: obj({ ids: { type: 'array', maxItems: 500, items: { type: 'string', format: 'uuid' } } }),
      responses: {
        '200': {
          description: 'How many changed',
          schema: obj({ updated: { type: 'integer' } }, ['updated']),
        },
      },
      async handler({ ws, principal, body }) {
        return { body: { updated: await wf.notifications.markRead(ws, principal, body.ids) } };
      },
    }),
  );

  // --- jobs and webhooks (administrators) ----------------------------------------------------------
  add(
    defineRoute<
      unknown,
      { status?: 'pending' | 'running' | 'done' | 'failed' | 'cancelled'; kind?: string; limit?: number }
    >({
      method: 'GET',
      path: '/api/jobs',
      operationId: 'listJobs',
      summary: {
        en: 'Background jobs (timers, automations, e-mail, webhooks) with their errors',
        'zh-CN': '后台任务及其错误',
      },
      tags: ['jobs'],
      auth: 'user',
      admin: true,
      workspace: true,
      query: obj({
        status: { enum: ['pending', 'running', 'done', 'failed', 'cancelled'] },
        kind: { type: 'string', maxLength: 100 },
        limit: { type: 'integer', minimum: 1, maximum: 500 },
      }),
      responses: { '200': { description: 'Most recently changed first', schema: items(jobSchema) } },
      async handler({ ws, query }) {
        return { body: { items: await wf.jobs.list(ws, query) } };
      },
    }),
  );
  add(
    defineRoute<{ id: number }>({
      method: 'POST',
      path: '/api/jobs/{id}/retry',
      operationId: 'retryJob',
      summary: { en: 'Queue a failed job again', 'zh-CN': '重试失败的后台任务' },
      tags: ['jobs'],
      auth: 'user',
      admin: true,
      audit: 'workflow.job.retry',
      workspace: true,
      params: obj({ id: { type: 'integer', minimum: 1 } }, ['id']),
      query: noQuery,
      responses: { '200': { description: 'The job', schema: jobSchema } },
      async handler({ ws, params }) {
        const job = await wf.jobs.retry(ws, params.id);
        if (!job)
          throw new DomainError(
            'NOT_FOUND',
            { job: params.id },
            [],
            m('没有这个失败的任务', 'No failed job with this id'),
          );
        return { body: job };
      },
    }),
  );
  add(
    defineRoute({
      method: 'GET',
      path: '/api/webhooks',
      operationId: 'listWebhooks',
      summary: {
        en: 'Webhook endpoints: signing secret, failures, disabled reason',
        'zh-CN': 'Webhook 端点',
      },
      tags: ['jobs'],
      auth: 'user',
      admin: true,
      workspace: true,
      query: noQuery,
      responses: { '200': { description: 'The endpoints', schema: items({ type: 'object' }) } },
      async handler({ ws }) {
        const rows = await wf.db.query<Record<string, unknown>>(
          `SELECT id::text, url, secret, consecutive_failures AS "consecutiveFailures", disabled_at AS "disabledAt", disabled_reason AS "disabledReason",
                  last_status AS "lastStatus", last_error AS "lastError", last_success_at AS "lastSuccessAt" FROM ${workspaceSchema(ws)}._webhooks ORDER BY url`,
        );
        return { body: { items: rows } };
      },
    }),
  );
  add(
    defineRoute<{ id: string }>({
      method: 'POST',
      path: '/api/webhooks/{id}/enable',
      operationId: 'enableWebhook',
      summary: { en: 'Re-enable a disabled webhook endpoint', 'zh-CN': '重新启用 Webhook 端点' },
      tags: ['jobs'],
      auth: 'user',
      admin: true,
      audit: 'workflow.webhook.enable',
      workspace: true,
      params: uuidParams,
      query: noQuery,
      responses: { '204': { description: 'Enabled' } },
      async handler({ ws, params }) {
        const rows = await wf.db.query(
          `UPDATE ${workspaceSchema(ws)}._webhooks SET disabled_at = NULL, disabled_reason = NULL, consecutive_failures = 0 WHERE id = $1::uuid RETURNING id`,
          [params.id],
        );
        if (rows.length === 0)
          throw new DomainError(
            'NOT_FOUND',
            { webhook: params.id },
            [],
            m('Webhook 端点不存在', 'Webhook endpoint not found'),
          );
        return { status: 204 };
      },
    }),
  );
  return routes;
}
