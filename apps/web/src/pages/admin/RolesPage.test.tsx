import type { EntityDefinition } from '@formwork/metadata';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api.js';
import type { AdminApi, Preset } from './admin-api.js';
import { RolesPage } from './RolesPage.js';
import { renderAdmin } from './test-utils.js';

const customer: EntityDefinition = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } },
    { key: 'cost', type: 'amount', label: { 'zh-CN': '成本', en: 'Cost' } },
  ],
};
const presets: Preset[] = [{ key: 'viewAll', label: 'View all', actions: ['read'], scope: { type: 'all' } }];

function roleApi(create: AdminApi['roles']['create']): Partial<AdminApi> {
  return { roles: { create, update: vi.fn(), remove: vi.fn(), list: vi.fn(async () => []) } };
}

describe('RolesPage', () => {
  it('creates a role from the matrix and sends exactly the permissions ticked', async () => {
    const create = vi.fn(async (body: Parameters<AdminApi['roles']['create']>[0]) => ({
      id: 'r1',
      key: body.key,
      name: body.name,
      builtin: false,
      isAdmin: false,
      permissions: body.permissions,
      version: 1,
      memberCount: 0,
    }));
    renderAdmin(<RolesPage selected="new" />, { entities: [customer], presets, api: roleApi(create) });
    fireEvent.change(screen.getByLabelText('Key'), { target: { value: 'sales' } });
    fireEvent.change(screen.getByLabelText('Name (Chinese)'), { target: { value: '销售' } });
    fireEvent.change(screen.getByLabelText('Name (English)'), { target: { value: 'Sales' } });
    fireEvent.click(screen.getByLabelText('Customer View'));
    fireEvent.click(screen.getByTestId('role-save'));
    await waitFor(() => expect(create).toHaveBeenCalledOnce());
    expect(create.mock.calls[0]?.[0]).toEqual({
      key: 'sales',
      name: { 'zh-CN': '销售', en: 'Sales' },
      permissions: { entities: { customer: { actions: ['read'], scope: { type: 'own' } } } },
    });
  });

  it('checks the key and names before asking the server', async () => {
    const create = vi.fn();
    renderAdmin(<RolesPage selected="new" />, { entities: [customer], presets, api: roleApi(create) });
    fireEvent.change(screen.getByLabelText('Key'), { target: { value: 'Sales Team' } });
    fireEvent.click(screen.getByTestId('role-save'));
    await screen.findByText(/The key starts with a lowercase letter/);
    expect(screen.getAllByText('Enter the name')).toHaveLength(2);
    expect(create).not.toHaveBeenCalled();
  });

  it('shows the server’s field errors on the key and on the matrix row they concern', async () => {
    const create = vi.fn(async () => {
      throw new ApiError(422, 'VALIDATION_FAILED', 'Validation failed', {
        fields: [
          { field: 'key', code: 'unique', message: 'The key sales is taken' },
          {
            field: 'permissions.entities.customer.fields.cost',
            code: 'field',
            message: 'Field cost does not exist',
          },
        ],
      });
    });
    renderAdmin(<RolesPage selected="new" />, { entities: [customer], presets, api: roleApi(create) });
    fireEvent.change(screen.getByLabelText('Key'), { target: { value: 'sales' } });
    fireEvent.change(screen.getByLabelText('Name (Chinese)'), { target: { value: '销售' } });
    fireEvent.change(screen.getByLabelText('Name (English)'), { target: { value: 'Sales' } });
    fireEvent.click(screen.getByLabelText('Customer View'));
    fireEvent.click(screen.getByTestId('role-save'));
    await screen.findByText('The key sales is taken');
    const row = screen.getByTestId('matrix-row-customer');
    expect(within(row).getByTestId('row-error').textContent).toBe('Field cost does not exist');
    expect(screen.getByTestId('matrix-errors').textContent).toContain(
      'Customer · cost: Field cost does not exist',
    );
  });
});
