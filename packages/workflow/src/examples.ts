/**
 * Example definitions in every format, as the CRM template uses them. They are plain JSON (what a designer
 * saves and a template ships); a test validates each against the exported JSON Schemas and the checks.
 */

/** Order approval: discounts above 10% go to the sales manager, orders of 100,000 or more to a countersign
 * by finance and the boss (60% enough when one is away); the customer's owner fills in the delivery plan. */
export const orderApprovalFlow = {
  key: 'crm.order-approval',
  name: { 'zh-CN': '订单审批', en: 'Order approval' },
  entity: 'order',
  nodes: [
    {
      id: 'start',
      type: 'start',
      position: { x: 0, y: 0 },
      data: { label: { 'zh-CN': '提交', en: 'Submit' } },
    },
    {
      id: 'route',
      type: 'condition',
      position: { x: 0, y: 100 },
      data: { label: { 'zh-CN': '分支', en: 'Route' } },
    },
    {
      id: 'manager',
      type: 'approval',
      position: { x: -200, y: 200 },
      data: {
        label: { 'zh-CN': '销售经理审批', en: 'Sales manager' },
        assignees: [{ type: 'departmentHead', levels: 1 }],
        emptyAssignee: { action: 'assign', to: [{ type: 'role', roles: ['salesManager'] }] },
        rejectTo: ['submitter', 'end'],
        fields: { discount: 'editable', cost: 'hidden' },
        deadline: {
          after: { days: 2 },
          reminders: { first: { hours: 24 }, every: { hours: 8 }, max: 3 },
          onTimeout: { action: 'escalate', to: [{ type: 'departmentHead', levels: 2 }] },
        },
      },
    },
    {
      id: 'board',
      type: 'approval',
      position: { x: 200, y: 200 },
      data: {
        label: { 'zh-CN': '财务与老板会签', en: 'Finance and boss countersign' },
        assignees: [{ type: 'role', roles: ['finance', 'boss'] }],
        mode: 'threshold',
        threshold: 0.6,
        rejectTo: ['submitter', 'end'],
        emptyAssignee: { action: 'autoApprove' },
      },
    },
    {
      id: 'plan',
      type: 'fillIn',
      position: { x: 0, y: 300 },
      data: {
        label: { 'zh-CN': '填写交付计划', en: 'Delivery plan' },
        assignees: [{ type: 'field', field: 'ownerId' }],
        fields: { deliveryPlan: 'editable' },
        defaultAccess: 'readOnly',
      },
    },
    {
      id: 'copy',
      type: 'cc',
      position: { x: 0, y: 400 },
      data: { to: [{ type: 'role', roles: ['finance'] }] },
    },
    {
      id: 'mark',
      type: 'action',
      position: { x: 0, y: 500 },
      data: { actions: [{ type: 'updateRecord', set: { status: { value: 'effective' } } }] },
    },
    { id: 'done', type: 'end', position: { x: 0, y: 600 }, data: { outcome: 'approved' } },
  ],
  edges: [
    { id: 'e1', source: 'start', target: 'route' },
    {
      id: 'big',
      source: 'route',
      target: 'board',
      data: { priority: 0, condition: { filter: { field: 'amount', op: 'gte', value: 100000 } } },
    },
    {
      id: 'discount',
      source: 'route',
      target: 'manager',
      data: { priority: 1, condition: { filter: { field: 'discount', op: 'gt', value: 0.1 } } },
    },
    { id: 'plain', source: 'route', target: 'plan', data: { default: true } },
    { id: 'e2', source: 'manager', target: 'plan' },
    { id: 'e3', source: 'board', target: 'plan' },
    { id: 'e4', source: 'plan', target: 'copy' },
    { id: 'e5', source: 'copy', target: 'mark' },
    { id: 'e6', source: 'mark', target: 'done' },
  ],
};

/** Contract review: legal and finance review in parallel, then the boss signs. */
export const contractReviewFlow = {
  key: 'crm.contract-review',
  name: { 'zh-CN': '合同评审', en: 'Contract review' },
  entity: 'order',
  nodes: [
    { id: 'start', type: 'start', position: { x: 0, y: 0 }, data: {} },
    { id: 'split', type: 'parallelSplit', position: { x: 0, y: 100 }, data: {} },
    {
      id: 'legal',
      type: 'approval',
      position: { x: -150, y: 200 },
      data: { assignees: [{ type: 'role', roles: ['legal'] }], emptyAssignee: { action: 'autoApprove' } },
    },
    {
      id: 'finance',
      type: 'approval',
      position: { x: 150, y: 200 },
      data: {
        assignees: [{ type: 'role', roles: ['finance'] }],
        mode: 'and',
        emptyAssignee: { action: 'autoApprove' },
      },
    },
    { id: 'join', type: 'parallelJoin', position: { x: 0, y: 300 }, data: {} },
    {
      id: 'boss',
      type: 'approval',
      position: { x: 0, y: 400 },
      data: {
        assignees: [{ type: 'role', roles: ['boss'] }],
        rejectTo: ['submitter', 'end'],
        emptyAssignee: { action: 'autoApprove' },
      },
    },
    { id: 'wait', type: 'wait', position: { x: 0, y: 500 }, data: { untilField: 'signDate' } },
    { id: 'approved', type: 'end', position: { x: 0, y: 600 }, data: { outcome: 'approved' } },
  ],
  edges: [
    { id: 'a', source: 'start', target: 'split' },
    { id: 'b', source: 'split', target: 'legal' },
    { id: 'c', source: 'split', target: 'finance' },
    { id: 'd', source: 'legal', target: 'join' },
    { id: 'e', source: 'finance', target: 'join' },
    { id: 'f', source: 'join', target: 'boss' },
    { id: 'g', source: 'boss', target: 'wait' },
    { id: 'h', source: 'wait', target: 'approved' },
  ],
};

/** The opportunity pipeline (商机阶段) with required fields, permissions and an SLA. */
export const opportunityBlueprint = {
  key: 'crm.opportunity-stages',
  name: { 'zh-CN': '商机阶段', en: 'Opportunity stages' },
  entity: 'opportunity',
  field: 'stage',
  initial: 'contact',
  stages: [
    {
      key: 'contact',
      label: { 'zh-CN': '初步接洽', en: 'First contact' },
      probability: 10,
      sla: { after: { days: 7 }, escalate: { notify: [{ type: 'departmentHead' }] } },
    },
    { key: 'needs', label: { 'zh-CN': '需求确认', en: 'Needs confirmed' }, probability: 30 },
    { key: 'quote', label: { 'zh-CN': '方案报价', en: 'Proposal' }, probability: 60 },
    {
      key: 'negotiation',
      label: { 'zh-CN': '谈判审核', en: 'Negotiation' },
      probability: 80,
      onEnter: [
        { type: 'notify', to: [{ type: 'role', roles: ['salesManager'] }], title: '{{name}} 进入谈判' },
      ],
    },
    { key: 'won', label: { 'zh-CN': '赢单', en: 'Won' }, probability: 100, final: true },
    { key: 'lost', label: { 'zh-CN': '输单', en: 'Lost' }, probability: 0, final: true },
  ],
  transitions: [
    { key: 'qualify', from: 'contact', to: 'needs', requiredFields: ['budget', 'contact'] },
    { key: 'propose', from: 'needs', to: 'quote', requiredFields: ['amount'] },
    { key: 'negotiate', from: 'quote', to: 'negotiation', allowed: { owner: true, roles: ['salesManager'] } },
    {
      key: 'win',
      from: 'negotiation',
      to: 'won',
      requiredFields: ['closeDate'],
      allowed: { roles: ['salesManager'] },
    },
    { key: 'lose', from: '*', to: 'lost', requiredFields: ['lostReason'] },
  ],
};

/** New leads go round robin to the east or west team by region, and the owner is told. */
export const leadAssignmentAutomation = {
  key: 'crm.lead-assignment',
  name: { 'zh-CN': '线索自动分配', en: 'Lead assignment' },
  entity: 'lead',
  trigger: { type: 'created' },
  condition: { field: 'status', op: 'eq', value: 'new' },
  actions: [
    {
      type: 'assignOwner',
      strategy: 'byField',
      field: 'region',
      map: { east: ['a1', 'a2'], west: ['a3'] },
      fallback: ['mgr'],
    },
    {
      type: 'notify',
      to: [{ type: 'field', field: 'ownerId' }],
      channels: ['inApp', 'email'],
      title: { 'zh-CN': '新线索：{{name}}', en: 'New lead: {{name}}' },
      body: { 'zh-CN': '来源 {{source}}，电话 {{phone}}', en: 'Source {{source}}, phone {{phone}}' },
    },
  ],
};

/** Three days before a contract ends, remind its owner and open a renewal opportunity. */
export const contractEndAutomation = {
  key: 'crm.contract-renewal',
  entity: 'order',
  trigger: { type: 'dateReached', field: 'endDate', offset: { days: 3 }, direction: 'before', at: '09:00' },
  actions: [
    { type: 'notify', to: [{ type: 'field', field: 'ownerId' }], title: '合同 {{title}} 3 天后到期' },
    {
      type: 'createRecord',
      entity: 'opportunity',
      set: {
        name: { formula: '"续约：" & title' },
        amount: { field: 'amount' },
        stage: { value: 'contact' },
      },
    },
  ],
};

/** Every Monday at 09:00 Beijing time, post the pipeline to the ERP. */
export const weeklyExportAutomation = {
  key: 'crm.weekly-export',
  entity: 'opportunity',
  trigger: { type: 'schedule', cron: '0 9 * * 1', timeZone: 'Asia/Shanghai' },
  actions: [{ type: 'webhook', url: 'https://erp.example.com/hooks/pipeline' }],
};

export const exampleFlows = [orderApprovalFlow, contractReviewFlow];
export const exampleBlueprints = [opportunityBlueprint];
export const exampleAutomations = [leadAssignmentAutomation, contractEndAutomation, weeklyExportAutomation];
