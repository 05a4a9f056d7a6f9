import type { EntityDefinition } from '@formwork/metadata';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parseAutomation } from './automation.js';
import { checkBlueprint, parseBlueprint } from './blueprint.js';
import { checkFlow } from './check-flow.js';
import { compileFlow } from './compile.js';
import { exampleAutomations, exampleBlueprints, exampleFlows, orderApprovalFlow } from './examples.js';
import { parseFlowDefinition } from './parse-flow.js';
import { automationSchema, blueprintSchema, flowDefinitionSchema } from './schema.js';
import { Run } from './test-fixtures.js';

const text = (key: string) => ({ key, type: 'text' as const });
const entities: Record<string, EntityDefinition> = {
  order: {
    key: 'order',
    fields: [
      text('title'),
      { key: 'amount', type: 'amount' },
      { key: 'discount', type: 'percent' },
      { key: 'cost', type: 'amount' },
      { key: 'deliveryPlan', type: 'longText' },
      text('status'),
      { key: 'signDate', type: 'date' },
      { key: 'endDate', type: 'date' },
    ],
  },
  opportunity: {
    key: 'opportunity',
    fields: [
      text('name'),
      { key: 'amount', type: 'amount' },
      { key: 'budget', type: 'amount' },
      text('contact'),
      { key: 'closeDate', type: 'date' },
      text('lostReason'),
      {
        key: 'stage',
        type: 'select',
        options: ['contact', 'needs', 'quote', 'negotiation', 'won', 'lost'].map((value) => ({ value })),
      },
    ],
  },
  lead: {
    key: 'lead',
    fields: [
      text('name'),
      text('source'),
      text('phone'),
      text('region'),
      { key: 'status', type: 'select', options: [{ value: 'new' }] },
    ],
  },
};
const roles = ['salesManager', 'finance', 'boss', 'legal'];
const members = ['a1', 'a2', 'a3', 'mgr'];

describe('example definitions', () => {
  const ajv = new Ajv2020({ strict: false, discriminator: true });
  addFormats(ajv);

  it('flows validate against the exported JSON Schema and pass every check', () => {
    const validate = ajv.compile(flowDefinitionSchema);
    for (const def of exampleFlows) {
      expect(validate(def), JSON.stringify(validate.errors)).toBe(true);
      const parsed = parseFlowDefinition(def);
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(checkFlow(parsed.value, { entity: entities.order, roles, members })).toEqual([]);
    }
  });

  it('blueprints validate against the exported JSON Schema and pass every check', () => {
    const validate = ajv.compile(blueprintSchema);
    for (const bp of exampleBlueprints) {
      expect(validate(bp), JSON.stringify(validate.errors)).toBe(true);
      const parsed = parseBlueprint(bp);
      expect(parsed.ok).toBe(true);
      if (parsed.ok)
        expect(checkBlueprint(parsed.value, { entity: entities.opportunity, roles, members })).toEqual([]);
    }
  });

  it('automations validate against the exported JSON Schema and parse in context', () => {
    const validate = ajv.compile(automationSchema);
    for (const a of exampleAutomations) {
      expect(validate(a), JSON.stringify(validate.errors)).toBe(true);
      const parsed = parseAutomation(a, { entity: entities[a.entity], entities, roles, members, flows: [] });
      expect(parsed.ok, JSON.stringify(!parsed.ok && parsed.issues)).toBe(true);
    }
  });

  it('the order approval routes a big order to the 60% countersign and on to the fill-in', () => {
    const parsed = parseFlowDefinition(orderApprovalFlow);
    if (!parsed.ok) throw new Error('invalid');
    const compiled = compileFlow(parsed.value, { entity: entities.order });
    const run = new Run(compiled, { title: 'Big', amount: 250000, ownerId: 'a3' });
    expect(run.open().map((t) => t.assignee)).toEqual(['fin1', 'fin2', 'boss']);
    run.approve('fin1');
    run.approve('boss');
    expect(run.open().map((t) => [t.assignee, t.kind])).toEqual([['a3', 'fillIn']]);
    run.ok({ type: 'submit', taskId: run.taskOf('a3'), actor: 'a3', fields: { deliveryPlan: 'May' } });
    expect(run.record).toMatchObject({ deliveryPlan: 'May', status: 'effective' });
    expect(run.ended()?.outcome).toBe('approved');
  });
});
