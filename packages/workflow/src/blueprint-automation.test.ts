import type { EntityDefinition } from '@formwork/metadata';
import { describe, expect, it } from 'vitest';
import {
  dateTriggerTime,
  matchAutomation,
  parseAutomation,
  planAutomation,
  type RecordChange,
} from './automation.js';
import {
  checkBlueprint,
  checkStageMove,
  enterStage,
  parseBlueprint,
  stageSlaExpired,
  timeInStage,
} from './blueprint.js';
import { checkCron, nextCronTime } from './cron.js';
import { directory } from './test-fixtures.js';

const opportunity: EntityDefinition = {
  key: 'opportunity',
  fields: [
    { key: 'name', type: 'text' },
    { key: 'amount', type: 'amount' },
    { key: 'budget', type: 'amount' },
    { key: 'quoteNo', type: 'text' },
    { key: 'region', type: 'text' },
    { key: 'closeDate', type: 'date' },
    { key: 'probability', type: 'number' },
    {
      key: 'stage',
      type: 'select',
      options: ['contact', 'needs', 'quote', 'won', 'lost'].map((value) => ({ value })),
    },
  ],
};

const bpInput = {
  key: 'opp-stages',
  entity: 'opportunity',
  field: 'stage',
  stages: [
    {
      key: 'contact',
      sla: {
        after: { days: 3 },
        escalate: { notify: [{ type: 'role', roles: ['boss'] }], setOwner: ['mgr'] },
      },
    },
    { key: 'needs', onEnter: [{ type: 'updateRecord', set: { probability: { value: 30 } } }] },
    { key: 'quote' },
    { key: 'won', final: true },
    { key: 'lost', final: true },
  ],
  transitions: [
    { key: 'qualify', from: 'contact', to: 'needs', requiredFields: ['budget'] },
    {
      key: 'propose',
      from: 'needs',
      to: 'quote',
      requiredFields: ['quoteNo', 'amount'],
      allowed: { roles: ['sales'], owner: true },
    },
    {
      key: 'win',
      from: 'quote',
      to: 'won',
      allowed: { roles: ['boss'] },
      condition: { field: 'amount', op: 'gt', value: 0 },
    },
    { key: 'lose', from: '*', to: 'lost' },
  ],
};

describe('blueprints', () => {
  const now = new Date('2026-03-02T00:00:00.000Z');
  const parsed = parseBlueprint(bpInput);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  const bp = parsed.value;
  const actor = { id: 'u1', roles: ['sales'] };

  it('parses and checks against the entity', () => {
    expect(checkBlueprint(bp, { entity: opportunity, roles: ['sales', 'boss'] })).toEqual([]);
    const bad = parseBlueprint({ ...bpInput, transitions: [{ key: 'x', from: 'nowhere', to: 'won' }] });
    expect(bad.ok === false && bad.issues.map((i) => i.code)).toEqual(['unknownStage']);
    const unreachable = checkBlueprint({ ...bp, transitions: [] }, { entity: opportunity });
    expect(unreachable.map((i) => i.code)).toEqual([
      'unreachableStage',
      'unreachableStage',
      'unreachableStage',
      'unreachableStage',
    ]);
  });

  it('refuses a move with no transition, naming the stages', () => {
    const r = checkStageMove(bp, { now, record: {}, from: 'contact', to: 'won', actor });
    expect(r.ok === false && r.refusal).toMatchObject({ code: 'noTransition', missingFields: [] });
  });

  it('refuses a move with missing fields, naming the rule and the fields', () => {
    const r = checkStageMove(bp, { now, record: { amount: 5 }, from: 'needs', to: 'quote', actor });
    expect(r.ok === false && r.refusal).toMatchObject({
      code: 'missingFields',
      rule: 'propose',
      missingFields: ['quoteNo'],
    });
    expect(r.ok === false && r.refusal.message['zh-CN']).toContain('quoteNo');
  });

  it('refuses a move the actor may not perform, and one whose condition fails', () => {
    const r = checkStageMove(bp, { now, record: { amount: 5 }, from: 'quote', to: 'won', actor });
    expect(r.ok === false && r.refusal).toMatchObject({ code: 'notAllowed', rule: 'win' });
    const c = checkStageMove(bp, {
      now,
      record: { amount: 0 },
      from: 'quote',
      to: 'won',
      actor: { id: 'b', roles: ['boss'] },
    });
    expect(c.ok === false && c.refusal).toMatchObject({ code: 'conditionFailed', rule: 'win' });
    const owner = checkStageMove(bp, {
      now,
      record: { ownerId: 'u2', amount: 1, quoteNo: 'Q1' },
      from: 'needs',
      to: 'quote',
      actor: { id: 'u2', roles: [] },
    });
    expect(owner.ok).toBe(true);
    expect(checkStageMove(bp, { now, record: {}, from: 'quote', to: 'lost', actor }).ok).toBe(true);
  });

  it('entering a stage runs its actions and schedules its SLA; a stale SLA timer is ignored', () => {
    const env = { recordId: 'r1', record: { ownerId: 'u1' }, directory, now };
    const effects = enterStage(bp, { from: null, to: 'contact' }, env);
    expect(effects).toMatchObject([
      { type: 'scheduleTimer', purpose: 'sla', at: '2026-03-05T00:00:00.000Z' },
    ]);
    const key = (effects[0] as { key: string }).key;
    const leave = enterStage(bp, { from: 'contact', fromEnteredAt: now.toISOString(), to: 'needs' }, env);
    expect(leave).toMatchObject([
      { type: 'cancelTimer', key },
      { type: 'updateRecord', changes: { probability: 30 } },
    ]);
    expect(stageSlaExpired(bp, { key }, { stage: 'needs', enteredAt: now.toISOString() }, env)).toBeNull();
    const esc = stageSlaExpired(bp, { key }, { stage: 'contact', enteredAt: now.toISOString() }, env);
    expect(esc).toMatchObject([
      { type: 'notify', to: ['boss'] },
      { type: 'updateRecord', changes: { ownerId: 'mgr' } },
    ]);
  });

  it('computes time in stage over repeated visits', () => {
    const t = timeInStage(
      [
        { stage: 'needs', at: '2026-03-02T00:00:00Z' },
        { stage: 'contact', at: '2026-03-01T00:00:00Z' },
        { stage: 'contact', at: '2026-03-03T00:00:00Z' },
      ],
      new Date('2026-03-03T12:00:00Z'),
    );
    expect(t.totals).toEqual({ contact: 36 * 3_600_000, needs: 24 * 3_600_000 });
    expect(t.current).toEqual({ stage: 'contact', since: '2026-03-03T00:00:00Z', ms: 12 * 3_600_000 });
  });
});

describe('automations', () => {
  const now = new Date('2026-03-02T02:00:00.000Z');
  const change = (over: Partial<RecordChange>): RecordChange => ({
    kind: 'updated',
    entity: 'opportunity',
    recordId: 'r1',
    record: {},
    now,
    ...over,
  });

  it('parses with field, cron and role checks', () => {
    const bad = parseAutomation(
      {
        key: 'a',
        entity: 'opportunity',
        trigger: { type: 'schedule', cron: '61 * * * *' },
        actions: [{ type: 'updateRecord', set: { nope: { value: 1 } } }],
      },
      { entity: opportunity },
    );
    expect(bad.ok === false && bad.issues.map((i) => i.code)).toEqual([
      'invalidCron',
      'needsRecord',
      'unknownField',
    ]);
    const shape = parseAutomation({
      key: 'a',
      entity: 'opportunity',
      trigger: { type: 'created' },
      actions: [],
    });
    expect(shape.ok === false && shape.issues[0]).toMatchObject({ field: 'actions', code: 'minItems' });
  });

  it('matches field changes with from/to and the condition', () => {
    const parsed = parseAutomation(
      {
        key: 'won',
        entity: 'opportunity',
        trigger: { type: 'fieldChanged', field: 'stage', from: ['quote', 'needs'], to: 'won' },
        condition: { field: 'amount', op: 'gte', value: 1000 },
        actions: [{ type: 'startFlow', flow: 'order-approval' }],
      },
      { entity: opportunity },
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const a = parsed.value;
    expect(
      matchAutomation(a, change({ before: { stage: 'quote' }, record: { stage: 'won', amount: 5000 } })),
    ).toBe(true);
    expect(
      matchAutomation(a, change({ before: { stage: 'contact' }, record: { stage: 'won', amount: 5000 } })),
    ).toBe(false);
    expect(
      matchAutomation(a, change({ before: { stage: 'quote' }, record: { stage: 'won', amount: 5 } })),
    ).toBe(false);
    expect(matchAutomation(a, change({ kind: 'created', record: { stage: 'won', amount: 5000 } }))).toBe(
      false,
    );
    expect(
      matchAutomation(
        { ...a, enabled: false },
        change({ before: { stage: 'quote' }, record: { stage: 'won', amount: 5000 } }),
      ),
    ).toBe(false);
  });

  it('plans record updates, cross-entity creates/upserts with formulas, notifications and webhooks', () => {
    const r = planAutomation(
      {
        key: 'a',
        entity: 'opportunity',
        trigger: { type: 'created' },
        actions: [
          { type: 'updateRecord', set: { probability: { value: 10 } } },
          {
            type: 'createRecord',
            entity: 'task',
            set: { title: { formula: '"Call " & name' }, due: { field: 'closeDate' } },
          },
          { type: 'upsertRecord', entity: 'customer', match: ['name'], set: { name: { field: 'name' } } },
          {
            type: 'notify',
            to: [{ type: 'role', roles: ['boss'] }],
            channels: ['inApp', 'email'],
            title: { 'zh-CN': '新商机 {{name}}', en: 'New deal {{name}}' },
            body: 'Amount {{amount}}',
          },
          { type: 'webhook', url: 'https://erp.example.com/hook' },
        ],
      },
      change({ kind: 'created', record: { name: 'ACME', amount: 99, closeDate: '2026-04-01' } }),
      { directory },
    );
    expect(r.skipped).toEqual([]);
    expect(r.effects.map((e) => e.type)).toEqual([
      'updateRecord',
      'createRecord',
      'upsertRecord',
      'notify',
      'sendEmail',
      'callWebhook',
    ]);
    expect(r.effects[1]).toMatchObject({ entity: 'task', data: { title: 'Call ACME', due: '2026-04-01' } });
    expect(r.effects[2]).toMatchObject({ match: { name: 'ACME' } });
    expect(r.effects[3]).toMatchObject({
      to: ['boss'],
      title: { 'zh-CN': '新商机 ACME', en: 'New deal ACME' },
    });
    expect(r.effects[4]).toMatchObject({ subject: { en: 'New deal ACME' }, body: { en: 'Amount 99' } });
  });

  it('assigns owners round robin, by field and by least open records', () => {
    const base = { key: 'assign', entity: 'opportunity', trigger: { type: 'created' as const } };
    const rr = {
      ...base,
      actions: [
        { type: 'assignOwner' as const, strategy: 'roundRobin' as const, members: ['a1', 'a2', 'a3'] },
      ],
    };
    const owners = [0, 1, 2, 3].map(
      (cursor) => planAutomation(rr, change({ kind: 'created' }), { directory, cursor }).effects,
    );
    expect(owners.map((e) => (e[0] as unknown as { changes: { ownerId: string } }).changes.ownerId)).toEqual([
      'a1',
      'a2',
      'a3',
      'a1',
    ]);
    expect(owners[3]?.[1]).toEqual({ type: 'assignmentCursor', automation: 'assign', cursor: 4 });
    const byField = {
      ...base,
      actions: [
        {
          type: 'assignOwner' as const,
          strategy: 'byField' as const,
          field: 'region',
          map: { east: ['a2'] },
          fallback: ['boss'],
        },
      ],
    };
    expect(
      planAutomation(byField, change({ record: { region: 'east' } }), { directory }).effects[0],
    ).toMatchObject({ changes: { ownerId: 'a2' } });
    expect(
      planAutomation(byField, change({ record: { region: 'north' } }), { directory }).effects[0],
    ).toMatchObject({ changes: { ownerId: 'boss' } });
    const least = {
      ...base,
      actions: [{ type: 'assignOwner' as const, strategy: 'leastOpen' as const, role: 'finance' }],
    };
    expect(
      planAutomation(least, change({}), { directory, openCounts: { fin1: 7, fin2: 3 } }).effects[0],
    ).toMatchObject({ changes: { ownerId: 'fin2' } });
    const none = {
      ...base,
      actions: [{ type: 'assignOwner' as const, strategy: 'leastOpen' as const, role: 'empty' }],
    };
    expect(planAutomation(none, change({}), { directory }).skipped[0]?.message.en).toBe(
      'No member to assign',
    );
  });

  it('computes date trigger times with offsets in the time zone', () => {
    const a = {
      key: 'd',
      entity: 'opportunity',
      trigger: {
        type: 'dateReached' as const,
        field: 'closeDate',
        offset: { days: 3 },
        direction: 'before' as const,
      },
      actions: [],
    };
    expect(dateTriggerTime(a, { closeDate: '2026-04-10' }, 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-04-07T01:00:00.000Z',
    );
    expect(dateTriggerTime(a, {}, 'Asia/Shanghai')).toBeNull();
  });
});

describe('cron', () => {
  it('finds the next time in a time zone, across a DST change', () => {
    const after = new Date('2026-03-02T02:00:00.000Z');
    expect(nextCronTime('0 9 * * 1-5', after, 'Asia/Shanghai')?.toISOString()).toBe(
      '2026-03-03T01:00:00.000Z',
    );
    expect(nextCronTime('*/15 * * * *', after, 'UTC')?.toISOString()).toBe('2026-03-02T02:15:00.000Z');
    // New York switches to EDT on 2026-03-08: 09:00 local is 14:00Z before, 13:00Z after.
    expect(
      nextCronTime('0 9 * * *', new Date('2026-03-07T15:00:00Z'), 'America/New_York')?.toISOString(),
    ).toBe('2026-03-08T13:00:00.000Z');
    expect(nextCronTime('@monthly', after, 'UTC')?.toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });

  it('rejects bad expressions and zones', () => {
    expect(checkCron('0 9 * *').ok).toBe(false);
    expect(checkCron('0 25 * * *').ok).toBe(false);
    expect(checkCron('0 9 * * *', 'Mars/Base').ok).toBe(false);
    expect(checkCron('0 0 1 1 *').ok).toBe(true);
  });
});
