import type { EntityDefinition } from '@formwork/metadata';
import type { FormServices } from '../form/types.js';

export const CUSTOMER_ID = '0b7c2f9e-5d1a-4c3b-9a8e-1f2d3c4b5a60';
export const USER_ID = '11111111-1111-4111-8111-111111111111';
export const DEPT_ID = '22222222-2222-4222-8222-222222222222';

/** An order entity using every kind of logic the form supports. */
export const orderEntity: EntityDefinition = {
  key: 'order',
  label: { 'zh-CN': '订单', en: 'Order' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: { 'zh-CN': '标题', en: 'Title' }, required: true, dedupe: true },
    { key: 'no', type: 'autoNumber', pattern: 'HT-{0000}', label: { 'zh-CN': '编号', en: 'Number' } },
    {
      key: 'customer',
      type: 'relation',
      target: 'customer',
      label: { 'zh-CN': '客户', en: 'Customer' },
      fill: [
        { from: 'phone', to: 'phone' },
        { from: 'address', to: 'address' },
      ],
    },
    {
      key: 'customerName',
      type: 'lookup',
      relation: 'customer',
      targetField: 'name',
      label: { 'zh-CN': '客户名称', en: 'Customer name' },
    },
    { key: 'phone', type: 'phone', label: { 'zh-CN': '电话', en: 'Phone' } },
    { key: 'address', type: 'text', label: { 'zh-CN': '地址', en: 'Address' } },
    {
      key: 'status',
      type: 'select',
      label: { 'zh-CN': '状态', en: 'Status' },
      options: [
        { value: 'open', label: { 'zh-CN': '进行中', en: 'Open' }, color: '#1677ff' },
        { value: 'lost', label: { 'zh-CN': '输单', en: 'Lost' }, color: '#cf1322' },
      ],
      defaultValue: 'open',
    },
    {
      key: 'lossReason',
      type: 'longText',
      label: { 'zh-CN': '输单原因', en: 'Loss reason' },
      required: true,
      visibleWhen: 'status = "lost"',
    },
    { key: 'owner', type: 'member', label: { 'zh-CN': '负责人', en: 'Owner' }, defaultValue: '$user' },
    { key: 'day', type: 'date', label: { 'zh-CN': '日期', en: 'Date' }, defaultValue: '$today' },
    {
      key: 'items',
      type: 'subform',
      label: { 'zh-CN': '明细', en: 'Items' },
      fields: [
        { key: 'product', type: 'text', label: { 'zh-CN': '产品', en: 'Product' }, required: true },
        { key: 'qty', type: 'number', label: { 'zh-CN': '数量', en: 'Qty' }, defaultValue: 1 },
        { key: 'price', type: 'amount', label: { 'zh-CN': '单价', en: 'Price' } },
        {
          key: 'amount',
          type: 'formula',
          formula: 'qty * price',
          precision: 2,
          label: { 'zh-CN': '金额', en: 'Amount' },
        },
      ],
    },
    {
      key: 'total',
      type: 'formula',
      formula: 'SUM(items.amount)',
      precision: 2,
      label: { 'zh-CN': '合计', en: 'Total' },
    },
  ],
};

export interface FakeServices extends FormServices {
  calls: { getRecord: string[]; search: string[]; uploads: File[]; dupes: Record<string, unknown>[] };
}

export function fakeServices(over: Partial<FormServices> = {}): FakeServices {
  const calls: FakeServices['calls'] = { getRecord: [], search: [], uploads: [], dupes: [] };
  const customer = {
    id: CUSTOMER_ID,
    name: 'ACME 有限公司',
    phone: '13800138000',
    address: '上海市浦东新区',
  };
  return {
    calls,
    searchRecords: async (entity, q) => {
      calls.search.push(`${entity}:${q}`);
      return entity === 'customer' && 'acme'.includes(q.toLowerCase())
        ? [{ id: CUSTOMER_ID, label: customer.name, record: customer }]
        : [];
    },
    getRecord: async (entity, id) => {
      calls.getRecord.push(`${entity}:${id}`);
      if (id !== CUSTOMER_ID) throw new Error('not found');
      return customer;
    },
    searchMembers: async () => [{ id: USER_ID, name: '张三' }],
    searchDepartments: async () => [{ id: DEPT_ID, name: '销售部' }],
    uploadFile: async (file) => {
      calls.uploads.push(file);
      return {
        id: `f${calls.uploads.length}`,
        name: file.name,
        size: file.size,
        type: file.type,
        url: `/files/f${calls.uploads.length}`,
      };
    },
    findDuplicates: async (_entity, candidate) => {
      calls.dupes.push(candidate);
      return candidate.title === 'ACME' ? [{ id: 'x', title: 'ACME 老客户' }] : [];
    },
    currentUser: { id: USER_ID, name: '张三', departmentId: DEPT_ID },
    now: () => new Date('2026-11-23T02:00:00Z'),
    timeZone: 'Asia/Shanghai',
    ...over,
  };
}
