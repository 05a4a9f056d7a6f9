/**
 * JSON Schemas (draft 2020-12) of the workflow definition formats: flows, blueprints and automations.
 * They are exported for editors, OpenAPI and template tests; the parse functions validate with them and
 * then run the checks a schema cannot express.
 */

export type JsonSchema = Record<string, unknown>;

export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$';
export const KEY_PATTERN = '^[a-z][a-zA-Z0-9_.-]{0,99}$';

const i18nText: JsonSchema = {
  anyOf: [
    { type: 'string', maxLength: 500 },
    {
      type: 'object',
      properties: { 'zh-CN': { type: 'string', maxLength: 500 }, en: { type: 'string', maxLength: 500 } },
      additionalProperties: false,
    },
  ],
};

const longText: JsonSchema = {
  anyOf: [
    { type: 'string', maxLength: 20000 },
    {
      type: 'object',
      properties: {
        'zh-CN': { type: 'string', maxLength: 20000 },
        en: { type: 'string', maxLength: 20000 },
      },
      additionalProperties: false,
    },
  ],
};

const idList: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 500,
  items: { type: 'string', minLength: 1, maxLength: 100 },
};

const fieldKey: JsonSchema = { type: 'string', pattern: '^[a-z][a-zA-Z0-9_]{0,62}$' };

const duration: JsonSchema = {
  type: 'object',
  properties: {
    days: { type: 'integer', minimum: 0, maximum: 3650 },
    hours: { type: 'integer', minimum: 0, maximum: 87600 },
    minutes: { type: 'integer', minimum: 0, maximum: 5256000 },
  },
  additionalProperties: false,
  minProperties: 1,
};

const assigneeRule: JsonSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      properties: { type: { const: 'member' }, members: idList },
      required: ['type', 'members'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'role' }, roles: idList },
      required: ['type', 'roles'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'departmentHead' },
        levels: { type: 'integer', minimum: 1, maximum: 20 },
        skipSelf: { type: 'boolean' },
      },
      required: ['type'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'field' }, field: fieldKey },
      required: ['type', 'field'],
      additionalProperties: false,
    },
    { properties: { type: { const: 'submitter' } }, required: ['type'], additionalProperties: false },
  ],
};

const assignees: JsonSchema = {
  type: 'array',
  minItems: 1,
  maxItems: 50,
  items: { $ref: '#/$defs/assignee' },
};

const fieldAccessMap: JsonSchema = {
  type: 'object',
  propertyNames: { pattern: '^[a-z][a-zA-Z0-9_]{0,62}$' },
  additionalProperties: { enum: ['editable', 'readOnly', 'hidden'] },
};

const deadline: JsonSchema = {
  type: 'object',
  required: ['after'],
  properties: {
    after: { $ref: '#/$defs/duration' },
    reminders: {
      type: 'object',
      properties: {
        first: { $ref: '#/$defs/duration' },
        every: { $ref: '#/$defs/duration' },
        max: { type: 'integer', minimum: 1, maximum: 100 },
      },
      additionalProperties: false,
    },
    onTimeout: {
      type: 'object',
      required: ['action'],
      properties: {
        action: { enum: ['approve', 'reject', 'escalate', 'notify'] },
        to: { $ref: '#/$defs/assignees' },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};

const emptyAssignee: JsonSchema = {
  type: 'object',
  required: ['action'],
  properties: { action: { enum: ['autoApprove', 'assign'] }, to: { $ref: '#/$defs/assignees' } },
  additionalProperties: false,
};

const valueSource: JsonSchema = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  properties: {
    value: {},
    formula: { type: 'string', minLength: 1, maxLength: 4000 },
    field: fieldKey,
  },
  additionalProperties: false,
};

const setMap: JsonSchema = {
  type: 'object',
  minProperties: 1,
  propertyNames: { pattern: '^[a-z][a-zA-Z0-9_]{0,62}$' },
  additionalProperties: { $ref: '#/$defs/valueSource' },
};

const url: JsonSchema = { type: 'string', pattern: '^https?://[^\\s]+$', maxLength: 2000 };

const headers: JsonSchema = {
  type: 'object',
  maxProperties: 20,
  propertyNames: { pattern: '^[A-Za-z0-9-]{1,64}$' },
  additionalProperties: { type: 'string', maxLength: 2000 },
};

const flowAction: JsonSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      properties: { type: { const: 'updateRecord' }, set: { $ref: '#/$defs/set' } },
      required: ['type', 'set'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'notify' },
        to: { $ref: '#/$defs/assignees' },
        channels: { type: 'array', minItems: 1, items: { enum: ['inApp', 'email'] }, uniqueItems: true },
        title: { $ref: '#/$defs/text' },
        body: { $ref: '#/$defs/longText' },
      },
      required: ['type', 'to', 'title'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'webhook' },
        url: { $ref: '#/$defs/url' },
        method: { enum: ['POST', 'PUT', 'PATCH'] },
        headers: { $ref: '#/$defs/headers' },
      },
      required: ['type', 'url'],
      additionalProperties: false,
    },
  ],
};

const label = { $ref: '#/$defs/text' };

function nodeVariant(type: string, data: JsonSchema): JsonSchema {
  return {
    properties: {
      id: { type: 'string', pattern: ID_PATTERN },
      type: { const: type },
      position: {
        type: 'object',
        required: ['x', 'y'],
        properties: { x: { type: 'number' }, y: { type: 'number' } },
      },
      data,
      // React Flow keeps these on nodes; they are accepted and ignored.
      width: { type: 'number' },
      height: { type: 'number' },
      selected: { type: 'boolean' },
      dragging: { type: 'boolean' },
      measured: { type: 'object' },
    },
    required: ['id', 'type', 'position', 'data'],
    additionalProperties: false,
  };
}

const obj = (properties: JsonSchema, required: string[] = []): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

const approvalData = obj(
  {
    label,
    assignees: { $ref: '#/$defs/assignees' },
    mode: { enum: ['or', 'and', 'sequential', 'threshold'] },
    threshold: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
    rejectTo: {
      type: 'array',
      minItems: 1,
      uniqueItems: true,
      items: { enum: ['end', 'submitter', 'node'] },
    },
    allowTransfer: { type: 'boolean' },
    allowAddSigner: { type: 'boolean' },
    fields: fieldAccessMap,
    defaultAccess: { enum: ['editable', 'readOnly', 'hidden'] },
    deadline: { $ref: '#/$defs/deadline' },
    emptyAssignee: { $ref: '#/$defs/emptyAssignee' },
    commentOnReject: { type: 'boolean' },
    commentOnApprove: { type: 'boolean' },
  },
  ['assignees'],
);

const fillInData = obj(
  {
    label,
    assignees: { $ref: '#/$defs/assignees' },
    allowTransfer: { type: 'boolean' },
    fields: fieldAccessMap,
    defaultAccess: { enum: ['editable', 'readOnly', 'hidden'] },
    deadline: { $ref: '#/$defs/deadline' },
    emptyAssignee: { $ref: '#/$defs/emptyAssignee' },
  },
  ['assignees'],
);

const waitData: JsonSchema = {
  type: 'object',
  properties: {
    label,
    duration: { $ref: '#/$defs/duration' },
    untilField: fieldKey,
    offset: { $ref: '#/$defs/duration' },
    direction: { enum: ['before', 'after'] },
  },
  additionalProperties: false,
  oneOf: [{ required: ['duration'] }, { required: ['untilField'] }],
};

const flowNode: JsonSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    nodeVariant(
      'start',
      obj({ label, fields: fieldAccessMap, defaultAccess: { enum: ['editable', 'readOnly', 'hidden'] } }),
    ),
    nodeVariant('approval', approvalData),
    nodeVariant('fillIn', fillInData),
    nodeVariant('condition', obj({ label })),
    nodeVariant('parallelSplit', obj({ label })),
    nodeVariant('parallelJoin', obj({ label })),
    nodeVariant('cc', obj({ label, to: { $ref: '#/$defs/assignees' } }, ['to'])),
    nodeVariant(
      'action',
      obj(
        { label, actions: { type: 'array', minItems: 1, maxItems: 20, items: { $ref: '#/$defs/action' } } },
        ['actions'],
      ),
    ),
    nodeVariant('wait', waitData),
    nodeVariant(
      'subFlow',
      obj({ label, flow: { type: 'string', pattern: KEY_PATTERN }, wait: { type: 'boolean' } }, ['flow']),
    ),
    nodeVariant('end', obj({ label, outcome: { enum: ['approved', 'rejected', 'cancelled'] } }, ['outcome'])),
  ],
};

const flowEdge: JsonSchema = {
  type: 'object',
  required: ['id', 'source', 'target'],
  properties: {
    id: { type: 'string', pattern: ID_PATTERN },
    source: { type: 'string', pattern: ID_PATTERN },
    target: { type: 'string', pattern: ID_PATTERN },
    sourceHandle: { anyOf: [{ enum: ['approved', 'rejected'] }, { type: 'null' }] },
    targetHandle: { anyOf: [{ type: 'string', maxLength: 100 }, { type: 'null' }] },
    type: { type: 'string', maxLength: 50 },
    animated: { type: 'boolean' },
    selected: { type: 'boolean' },
    label: { type: 'string', maxLength: 200 },
    data: obj({
      label,
      default: { type: 'boolean' },
      priority: { type: 'integer', minimum: 0, maximum: 1000 },
      condition: obj({
        filter: { $ref: '#/$defs/filter' },
        formula: { type: 'string', minLength: 1, maxLength: 4000 },
        submitter: {
          type: 'object',
          minProperties: 1,
          properties: { members: idList, roles: idList, departments: idList },
          additionalProperties: false,
        },
      }),
    }),
  },
  additionalProperties: false,
};

/** The filter AST's shape (fields and operands are checked against the entity by `validateFilter`). */
const filterSchema: JsonSchema = {
  type: 'object',
  anyOf: [
    {
      properties: { and: { type: 'array', maxItems: 100, items: { $ref: '#/$defs/filter' } } },
      required: ['and'],
      additionalProperties: false,
    },
    {
      properties: { or: { type: 'array', maxItems: 100, items: { $ref: '#/$defs/filter' } } },
      required: ['or'],
      additionalProperties: false,
    },
    { properties: { not: { $ref: '#/$defs/filter' } }, required: ['not'], additionalProperties: false },
    {
      properties: {
        field: { type: 'string', minLength: 1, maxLength: 100 },
        op: {
          enum: [
            'eq',
            'ne',
            'in',
            'nin',
            'gt',
            'gte',
            'lt',
            'lte',
            'between',
            'contains',
            'startsWith',
            'isEmpty',
            'isNotEmpty',
            'period',
          ],
        },
        value: {},
      },
      required: ['field', 'op'],
      additionalProperties: false,
    },
  ],
};

const sharedDefs: Record<string, JsonSchema> = {
  filter: filterSchema,
  text: i18nText,
  longText,
  duration,
  assignee: assigneeRule,
  assignees,
  valueSource,
  set: setMap,
  url,
  headers,
};

/** The JSON Schema of a flow definition. */
export const flowDefinitionSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://formwork.dev/schemas/flow.json',
  title: 'Formwork flow definition',
  type: 'object',
  required: ['key', 'entity', 'nodes', 'edges'],
  properties: {
    key: { type: 'string', pattern: KEY_PATTERN },
    name: label,
    entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' },
    nodes: { type: 'array', minItems: 2, maxItems: 500, items: { $ref: '#/$defs/node' } },
    edges: { type: 'array', maxItems: 2000, items: { $ref: '#/$defs/edge' } },
    viewport: { type: 'object' },
  },
  additionalProperties: false,
  $defs: {
    ...sharedDefs,
    deadline,
    emptyAssignee,
    action: flowAction,
    node: flowNode,
    edge: flowEdge,
  },
};

// ---------------------------------------------------------------------------------------------
// Blueprints

/** The JSON Schema of a blueprint (the rules of a stage field). */
export const blueprintSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://formwork.dev/schemas/blueprint.json',
  title: 'Formwork blueprint',
  type: 'object',
  required: ['key', 'entity', 'field', 'stages', 'transitions'],
  properties: {
    key: { type: 'string', pattern: KEY_PATTERN },
    name: label,
    entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' },
    field: fieldKey,
    initial: { type: 'string', minLength: 1, maxLength: 100 },
    stages: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      items: obj(
        {
          key: { type: 'string', minLength: 1, maxLength: 100 },
          label,
          probability: { type: 'number', minimum: 0, maximum: 100 },
          final: { type: 'boolean' },
          onEnter: { type: 'array', maxItems: 20, items: { $ref: '#/$defs/action' } },
          sla: obj(
            {
              after: { $ref: '#/$defs/duration' },
              escalate: obj(
                {
                  notify: { $ref: '#/$defs/assignees' },
                  setOwner: idList,
                  set: { $ref: '#/$defs/set' },
                },
                [],
              ),
            },
            ['after'],
          ),
        },
        ['key'],
      ),
    },
    transitions: {
      type: 'array',
      maxItems: 1000,
      items: obj(
        {
          key: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,100}$' },
          label,
          from: {
            anyOf: [
              { type: 'string', minLength: 1, maxLength: 100 },
              { type: 'array', minItems: 1, items: { type: 'string', minLength: 1, maxLength: 100 } },
            ],
          },
          to: { type: 'string', minLength: 1, maxLength: 100 },
          allowed: obj({ members: idList, roles: idList, owner: { type: 'boolean' } }),
          requiredFields: { type: 'array', maxItems: 200, items: fieldKey, uniqueItems: true },
          condition: { $ref: '#/$defs/filter' },
          conditionMessage: label,
        },
        ['key', 'from', 'to'],
      ),
    },
  },
  additionalProperties: false,
  $defs: { ...sharedDefs, action: flowAction },
};

// ---------------------------------------------------------------------------------------------
// Automations

const automationAction: JsonSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    {
      properties: { type: { const: 'updateRecord' }, set: { $ref: '#/$defs/set' } },
      required: ['type', 'set'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'createRecord' },
        entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' },
        set: { $ref: '#/$defs/set' },
      },
      required: ['type', 'entity', 'set'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'upsertRecord' },
        entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' },
        match: { type: 'array', minItems: 1, maxItems: 10, items: fieldKey, uniqueItems: true },
        set: { $ref: '#/$defs/set' },
      },
      required: ['type', 'entity', 'match', 'set'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'assignOwner' },
        strategy: { enum: ['roundRobin', 'byField', 'leastOpen'] },
        members: idList,
        role: { type: 'string', minLength: 1, maxLength: 100 },
        field: fieldKey,
        map: {
          type: 'object',
          minProperties: 1,
          additionalProperties: idList,
        },
        fallback: idList,
      },
      required: ['type', 'strategy'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'notify' },
        to: { $ref: '#/$defs/assignees' },
        channels: { type: 'array', minItems: 1, items: { enum: ['inApp', 'email'] }, uniqueItems: true },
        emails: { type: 'array', maxItems: 50, items: { type: 'string', format: 'email' } },
        title: { $ref: '#/$defs/text' },
        body: { $ref: '#/$defs/longText' },
      },
      required: ['type', 'title'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'webhook' },
        url: { $ref: '#/$defs/url' },
        method: { enum: ['POST', 'PUT', 'PATCH'] },
        headers: { $ref: '#/$defs/headers' },
      },
      required: ['type', 'url'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'startFlow' }, flow: { type: 'string', pattern: KEY_PATTERN } },
      required: ['type', 'flow'],
      additionalProperties: false,
    },
  ],
};

const trigger: JsonSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    { properties: { type: { const: 'created' } }, required: ['type'], additionalProperties: false },
    {
      properties: {
        type: { const: 'updated' },
        fields: { type: 'array', minItems: 1, items: fieldKey, uniqueItems: true },
      },
      required: ['type'],
      additionalProperties: false,
    },
    {
      properties: { type: { const: 'fieldChanged' }, field: fieldKey, from: {}, to: {} },
      required: ['type', 'field'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'dateReached' },
        field: fieldKey,
        offset: { $ref: '#/$defs/duration' },
        direction: { enum: ['before', 'after'] },
        at: { type: 'string', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' },
      },
      required: ['type', 'field'],
      additionalProperties: false,
    },
    {
      properties: {
        type: { const: 'schedule' },
        cron: { type: 'string', minLength: 9, maxLength: 100 },
        timeZone: { type: 'string', minLength: 1, maxLength: 64 },
      },
      required: ['type', 'cron'],
      additionalProperties: false,
    },
  ],
};

/** The JSON Schema of an automation (智能助手). */
export const automationSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://formwork.dev/schemas/automation.json',
  title: 'Formwork automation',
  type: 'object',
  required: ['key', 'entity', 'trigger', 'actions'],
  properties: {
    key: { type: 'string', pattern: KEY_PATTERN },
    name: label,
    entity: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,47}$' },
    enabled: { type: 'boolean' },
    trigger,
    condition: { $ref: '#/$defs/filter' },
    actions: { type: 'array', minItems: 1, maxItems: 20, items: { $ref: '#/$defs/action' } },
  },
  additionalProperties: false,
  $defs: { ...sharedDefs, action: automationAction },
};
