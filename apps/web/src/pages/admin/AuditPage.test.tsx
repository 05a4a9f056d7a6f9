import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { AuditPage } from './AuditPage.js';
import type { AdminApi, AuditEvent, AuditQuery } from './admin-api.js';
import { renderAdmin } from './test-utils.js';

const event = (id: number, patch: Partial<AuditEvent> = {}): AuditEvent => ({
  id,
  at: '2026-11-23T08:00:00.000Z',
  workspace: 'default',
  actor: 'amy',
  action: 'auth.login',
  targetType: 'user',
  targetId: 'amy',
  ok: true,
  ip: '10.0.0.7',
  userAgent: 'Mozilla/5.0 Chrome/140',
  tokenId: null,
  requestId: 'req-1',
  details: {},
  ...patch,
});

describe('AuditPage', () => {
  it('loads newest first, pages on with the cursor, and shows one event in full', async () => {
    const audit = vi.fn(async (q: AuditQuery) =>
      q.cursor
        ? { items: [event(1)], nextCursor: null }
        : {
            items: [
              event(3, {
                action: 'permission.role.update',
                targetType: 'role',
                targetId: 'r1',
                tokenId: '0190f0b4-7c6e-7a3b-9c1d-2e3f4a5b6c7d',
                details: {
                  key: 'sales',
                  before: { entities: { deal: { actions: ['read'] } } },
                  after: { entities: { deal: { actions: ['read', 'export'] } } },
                },
              }),
              event(2, { ok: false, actor: null, details: { reason: 'password' } }),
            ],
            nextCursor: '2',
          },
    );
    renderAdmin(<AuditPage />, {
      members: [
        {
          userId: 'amy',
          email: 'amy@x.test',
          name: 'Amy',
          status: 'active',
          departmentIds: [],
          primaryDepartmentId: null,
          roleIds: [],
        },
      ],
      api: { audit } as Partial<AdminApi>,
    });
    const row = await screen.findByTestId('audit-row-permission.role.update');
    expect(audit).toHaveBeenCalledWith({ limit: 50 });
    expect(row.textContent).toContain('Amy');
    expect(row.textContent).toContain('Role permissions changed');
    expect(screen.getByTestId('audit-row-auth.login').textContent).toContain('Failed');

    fireEvent.click(screen.getByTestId('audit-more'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row-auth.login')).toHaveLength(2));
    expect(audit).toHaveBeenLastCalledWith({ cursor: '2', limit: 50 });

    fireEvent.click(row);
    const detail = await screen.findByTestId('audit-detail');
    expect(within(detail).getByTestId('audit-ip').textContent).toBe('10.0.0.7');
    expect(within(detail).getByTestId('audit-ua').textContent).toBe('Mozilla/5.0 Chrome/140');
    expect(detail.textContent).toContain('0190f0b4-7c6e-7a3b-9c1d-2e3f4a5b6c7d');
    const changes = within(detail).getByTestId('audit-changes');
    expect(changes.textContent).toContain('entities.deal.actions');
    expect(changes.textContent).toContain('["read"]');
    expect(changes.textContent).toContain('["read","export"]');
    expect(within(detail).getByTestId('audit-raw').textContent).toContain('"key": "sales"');
  });

  it('asks for a form before showing record changes, then queries that entity', async () => {
    const audit = vi.fn(async () => ({ items: [], nextCursor: null }));
    renderAdmin(<AuditPage />, {
      entities: [{ key: 'deal', label: { 'zh-CN': '商机', en: 'Deal' }, fields: [] }],
      api: { audit } as Partial<AdminApi>,
    });
    await waitFor(() => expect(audit).toHaveBeenCalledTimes(1));
    fireEvent.click(screen.getByText('Record changes'));
    await screen.findByText('Choose a form to see its records being created, changed, deleted and restored.');
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Form' }));
    fireEvent.click(await screen.findByTitle('Deal'));
    await waitFor(() => expect(audit).toHaveBeenLastCalledWith({ entity: 'deal', limit: 50 }));
  });
});
