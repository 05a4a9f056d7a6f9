export const REGIONS = [
  'east',
  'west',
  'north',
  'south',
  'central',
  'northeast',
  'northwest',
  'southwest',
  'hk',
  'overseas',
];
export const STATUSES = ['new', 'qualified', 'proposal', 'won', 'lost'];

/** The benchmark entity: a realistic 12-field sales deal. */
export const DEAL_ENTITY = {
  key: 'deal',
  label: { 'zh-CN': '商机', en: 'Deal' },
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '商机名称', en: 'Deal name' }, required: true },
    {
      key: 'status',
      type: 'select',
      indexed: true,
      options: STATUSES.map((value) => ({ value })),
    },
    {
      key: 'region',
      type: 'select',
      indexed: true,
      options: REGIONS.map((value) => ({ value })),
    },
    { key: 'amount', type: 'amount', indexed: true },
    { key: 'probability', type: 'percent' },
    { key: 'closeDate', type: 'date' },
    { key: 'phone', type: 'phone' },
    { key: 'email', type: 'email' },
    { key: 'quantity', type: 'number' },
    { key: 'priority', type: 'boolean' },
    { key: 'tags', type: 'tags' },
    { key: 'notes', type: 'longText' },
  ],
} as const;

/** The i-th deal: deterministic, so runs are comparable. */
export function deal(i: number): Record<string, unknown> {
  return {
    name: `Deal ${i} 华东区项目`,
    status: STATUSES[i % 5],
    region: REGIONS[Math.floor(i / 5) % 10],
    amount: Math.round(((i * 7919) % 10_000_000) + 99) / 100,
    probability: (i * 13) % 100,
    closeDate: `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    phone: `138${String(i % 100_000_000).padStart(8, '0')}`,
    email: `buyer${i}@example.com`,
    quantity: (i % 50) + 1,
    priority: i % 3 === 0,
    tags: i % 2 ? ['key-account'] : ['smb', 'renewal'],
    notes: '客户希望下周安排演示 — wants a demo next week',
  };
}
