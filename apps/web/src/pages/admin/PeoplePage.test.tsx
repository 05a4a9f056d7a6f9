import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AdminApi, Department, Member, Role } from './admin-api.js';
import { PeoplePage } from './PeoplePage.js';
import { renderAdmin } from './test-utils.js';

const dept = (id: string, name: string, parentId: string | null, memberCount = 0): Department => ({
  id,
  name,
  parentId,
  headId: null,
  sort: 0,
  memberCount,
});
const departments = [
  dept('sales', 'Sales', null),
  dept('east', 'East', 'sales', 1),
  dept('west', 'West', 'sales', 1),
];
const member = (userId: string, name: string, departmentIds: string[], roleIds: string[] = []): Member => ({
  userId,
  email: `${userId}@x.test`,
  name,
  status: 'active',
  departmentIds,
  primaryDepartmentId: departmentIds[0] ?? null,
  roleIds,
});
const members = [member('amy', 'Amy', ['east'], ['r1']), member('bob', 'Bob', ['west'])];
const roles: Role[] = [
  {
    id: 'r1',
    key: 'sales',
    name: { 'zh-CN': '销售', en: 'Sales rep' },
    builtin: false,
    isAdmin: false,
    permissions: { entities: {} },
    version: 1,
    memberCount: 1,
  },
];

function fakeApi() {
  return {
    departments: {
      list: vi.fn(),
      create: vi.fn(async (b: { name: string; parentId?: string | null }) => ({
        ...dept('new', b.name, b.parentId ?? null),
      })),
      update: vi.fn(async (id: string, b: Partial<Department>) => ({ ...dept(id, 'East', null), ...b })),
      remove: vi.fn(async () => undefined),
    },
    members: {
      invite: vi.fn(async (b: { email: string }) => ({
        member: { ...member('new', '', ['east']), email: b.email, status: 'invited' as const },
        invitation: { token: 'tok_123456789012345678901234', expiresAt: '2026-12-01T00:00:00.000Z' },
      })),
      update: vi.fn(),
      setRoles: vi.fn(),
    },
  } as unknown as AdminApi;
}

const rows = () =>
  screen.getAllByRole('row').filter((r) => r.getAttribute('data-testid')?.startsWith('member-'));

describe('PeoplePage', () => {
  it('lists the members of the selected department, with or without its sub-departments', async () => {
    renderAdmin(<PeoplePage />, { members, departments, roles, api: fakeApi() });
    expect(rows()).toHaveLength(2);
    fireEvent.click(screen.getByTestId('dept-node-East'));
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(rows()[0]?.textContent).toContain('Amy');
    expect(rows()[0]?.textContent).toContain('Sales rep');
    expect(screen.getByTestId('member-scope').textContent).toBe('Sales / East');
    fireEvent.click(screen.getByTestId('dept-node-Sales'));
    await waitFor(() => expect(rows()).toHaveLength(2));
    fireEvent.click(screen.getByRole('switch', { name: 'Include sub-departments' }));
    await waitFor(() => expect(screen.getByText('No members match')).toBeTruthy());
  });

  it('moves a department and sets its head through the edit dialog', async () => {
    const api = fakeApi();
    renderAdmin(<PeoplePage />, { members, departments, roles, api });
    fireEvent.click(screen.getByTestId('dept-node-East'));
    fireEvent.click(await screen.findByTestId('dept-edit'));
    const dialog = await screen.findByRole('dialog');
    // East cannot move below itself; West is a valid parent.
    fireEvent.mouseDown(within(dialog).getByRole('combobox', { name: 'Parent department' }));
    const own = (await screen.findAllByTitle('East')).find((el) => el.closest('.ant-select-tree-treenode'));
    expect(own?.closest('.ant-select-tree-treenode-disabled')).toBeTruthy();
    fireEvent.click(await screen.findByTitle('West'));
    fireEvent.mouseDown(within(dialog).getByRole('combobox', { name: 'Head of department' }));
    fireEvent.click(await screen.findByTitle('Amy · amy@x.test'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.departments.update).toHaveBeenCalledOnce());
    expect(api.departments.update).toHaveBeenCalledWith('east', {
      name: 'East',
      parentId: 'west',
      headId: 'amy',
    });
  });

  it('invites a member into the selected department and shows the one-time invitation link', async () => {
    const api = fakeApi();
    renderAdmin(<PeoplePage />, { members, departments, roles, api });
    fireEvent.click(screen.getByTestId('dept-node-East'));
    fireEvent.click(screen.getByTestId('member-invite'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('E-mail'), { target: { value: 'new@x.test' } });
    fireEvent.click(screen.getByTestId('invite-submit'));
    const link = await screen.findByTestId('invitation-link');
    expect(link.textContent).toContain('/invite?token=tok_123456789012345678901234');
    expect(api.members.invite).toHaveBeenCalledWith({
      email: 'new@x.test',
      departmentIds: ['east'],
      primaryDepartmentId: 'east',
    });
  });
});
