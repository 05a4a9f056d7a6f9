import type { EntityDefinition } from '@formwork/metadata';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { Preset, RolePermissions } from './admin-api.js';
import { fromPermissions, type MatrixDraft, toPermissions } from './matrix.js';
import { PermissionMatrix } from './PermissionMatrix.js';
import { renderAdmin } from './test-utils.js';

const presets: Preset[] = [
  { key: 'submitOnly', label: 'Submit only', actions: ['create'], scope: { type: 'own' } },
  { key: 'viewAll', label: 'View all', actions: ['read'], scope: { type: 'all' } },
  {
    key: 'manageAll',
    label: 'Manage all',
    actions: ['create', 'read', 'update', 'delete', 'export', 'import'],
    scope: { type: 'all' },
  },
];
const customer: EntityDefinition = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } },
    { key: 'cost', type: 'amount', label: { 'zh-CN': '成本', en: 'Cost' } },
  ],
};

/** The matrix with its state, exposing the permissions it would save. */
function Harness(props: { initial?: RolePermissions; out: { current: RolePermissions | null } }) {
  const [draft, setDraft] = useState<MatrixDraft>(() => fromPermissions(props.initial, presets));
  props.out.current = toPermissions(draft, presets);
  return (
    <PermissionMatrix
      entities={[customer]}
      draft={draft}
      onChange={setDraft}
      presets={presets}
      issues={[]}
      locale="en"
      members={[{ id: 'u1', name: 'Alice' }]}
      departments={[]}
    />
  );
}

const row = (key: string) => screen.getByTestId(`matrix-row-${key}`);

describe('PermissionMatrix', () => {
  it('ticks view + create on own records and hides a field: the permissions a salesperson role saves', async () => {
    const out = { current: null as RolePermissions | null };
    renderAdmin(<Harness out={out} />, { entities: [customer] });
    fireEvent.click(screen.getByLabelText('Customer View'));
    fireEvent.click(screen.getByLabelText('Customer Create'));
    expect(out.current?.entities.customer).toStrictEqual({
      actions: ['create', 'read'],
      scope: { type: 'own' },
    });
    // Open the row: field permissions.
    fireEvent.click(within(row('customer')).getByText('Fields & limits'));
    const cost = await screen.findByTestId('field-access-cost');
    fireEvent.click(within(cost).getByText('Hidden'));
    expect(out.current?.entities.customer).toEqual({
      actions: ['create', 'read'],
      scope: { type: 'own' },
      fields: { cost: 'hidden' },
    });
  });

  it('applies a preset in one click and shows which preset a row matches', async () => {
    const out = { current: null as RolePermissions | null };
    renderAdmin(
      <Harness
        out={out}
        initial={{ entities: { customer: { actions: ['read'], scope: { type: 'all' } } } }}
      />,
      {
        entities: [customer],
      },
    );
    expect(within(row('customer')).getByTitle('View all')).toBeTruthy();
    fireEvent.mouseDown(screen.getByLabelText('Customer Preset'));
    fireEvent.click(await screen.findByTitle('Manage all'));
    expect(out.current?.entities.customer).toEqual({
      preset: 'manageAll',
      actions: ['create', 'read', 'update', 'delete', 'export', 'import'],
      scope: { type: 'all' },
    });
    expect((screen.getByLabelText('Customer Export') as HTMLInputElement).checked).toBe(true);
  });

  it('rows follow "All forms (default)" until changed; reset brings the default back', () => {
    const out = { current: null as RolePermissions | null };
    renderAdmin(<Harness out={out} initial={{ entities: { '*': { preset: 'viewAll' } } }} />, {
      entities: [customer],
    });
    expect(within(row('customer')).getByText('default')).toBeTruthy();
    expect((screen.getByLabelText('Customer View') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByLabelText('Customer Delete'));
    expect(out.current?.entities.customer).toMatchObject({
      actions: ['read', 'delete'],
      scope: { type: 'all' },
    });
    expect(within(row('customer')).queryByText('default')).toBeNull();
    fireEvent.click(within(row('customer')).getByText('Use default'));
    expect(out.current?.entities).not.toHaveProperty('customer');
    expect(out.current?.entities['*']).toMatchObject({ actions: ['read'] });
  });

  it('a custom scope opens a filter builder that offers "Current member"', async () => {
    const out = { current: null as RolePermissions | null };
    renderAdmin(
      <Harness
        out={out}
        initial={{
          entities: {
            customer: {
              actions: ['read'],
              scope: { type: 'custom', filter: { field: 'ownerId', op: 'eq', value: '$user' } },
            },
          },
        }}
      />,
      { entities: [customer] },
    );
    fireEvent.click(within(row('customer')).getByText('Fields & limits'));
    await waitFor(() => expect(screen.getByTestId('filter-builder')).toBeTruthy());
    expect(screen.getByTitle('Current member')).toBeTruthy();
    expect(out.current?.entities.customer?.scope).toEqual({
      type: 'custom',
      filter: { field: 'ownerId', op: 'eq', value: '$user' },
    });
  });

  it('choosing "Custom filter" as the scope opens the filter at once; without conditions it saves an empty filter', async () => {
    const out = { current: null as RolePermissions | null };
    renderAdmin(
      <Harness
        out={out}
        initial={{ entities: { customer: { actions: ['read'], scope: { type: 'own' } } } }}
      />,
      {
        entities: [customer],
      },
    );
    fireEvent.mouseDown(screen.getByLabelText('Customer Data scope'));
    fireEvent.click(await screen.findByTitle('Custom filter'));
    await screen.findByTestId('filter-builder');
    expect(screen.getByText('Customer: scope, field permissions and limits')).toBeTruthy();
    expect(out.current?.entities.customer?.scope).toEqual({ type: 'custom', filter: { and: [] } });
  });
});
