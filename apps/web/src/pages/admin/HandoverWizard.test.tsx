import type { EntityDefinition } from '@formwork/metadata';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { AdminApi, DeactivateBody, HandoverResult, Member } from './admin-api.js';
import { HandoverWizard } from './HandoverWizard.js';
import { renderAdmin } from './test-utils.js';

const entities: EntityDefinition[] = [
  { key: 'customer', label: { 'zh-CN': '客户', en: 'Customer' }, fields: [{ key: 'name', type: 'text' }] },
  {
    key: 'deal',
    label: { 'zh-CN': '商机', en: 'Deal' },
    fields: [{ key: 'stage', type: 'select', options: [{ value: 'open' }, { value: 'won' }] }],
  },
];
const member = (userId: string, name: string, status: Member['status'] = 'active'): Member => ({
  userId,
  email: `${userId}@x.test`,
  name,
  status,
  departmentIds: [],
  primaryDepartmentId: null,
  roleIds: [],
});
const leaving = member('zhang', '张三');
const members = [leaving, member('li', '李四'), member('gone', 'Gone', 'deactivated')];

function fakeApi(result?: Partial<HandoverResult>) {
  const calls: Array<{ id: string; body: DeactivateBody }> = [];
  const api: Partial<AdminApi> = {
    members: {
      handoverPreview: vi.fn(async () => ({
        records: [
          { entity: 'customer', count: 4 },
          { entity: 'deal', count: 0 },
        ],
        openTasks: 2,
      })),
      deactivate: vi.fn(async (id: string, body: DeactivateBody) => {
        calls.push({ id, body });
        return {
          member: { ...leaving, status: 'deactivated' as const },
          transferred: [{ entity: 'customer', count: 4 }],
          moved: [{ kind: 'workflowTasks', count: 2 }],
          revokedSessions: 1,
          revokedTokens: 1,
          ...result,
        };
      }),
    } as unknown as AdminApi['members'],
    countRecords: vi.fn(async () => 1),
  };
  return { api, calls };
}

describe('HandoverWizard', () => {
  it('walks successor → transfer (with counts) → confirm → result, sending one hand-over', async () => {
    const { api, calls } = fakeApi();
    const onDone = vi.fn();
    renderAdmin(<HandoverWizard member={leaving} onClose={() => {}} onDone={onDone} />, {
      entities,
      members,
      api,
    });
    const nextButton = () => screen.getByTestId('handover-next') as HTMLButtonElement;
    await screen.findByTestId('handover-step-successor');
    await waitFor(() => expect(api.members?.handoverPreview).toHaveBeenCalled());
    // No successor chosen yet: the wizard cannot go on.
    expect(nextButton().disabled).toBe(true);
    fireEvent.mouseDown(screen.getByRole('combobox', { name: 'Successor' }));
    // Only other active members are offered.
    expect(screen.queryByTitle(/Gone/)).toBeNull();
    fireEvent.click(await screen.findByTitle('李四 · li@x.test'));
    await waitFor(() => expect(nextButton().disabled).toBe(false));
    fireEvent.click(nextButton());

    const step = await screen.findByTestId('handover-step-transfer');
    expect(
      within(screen.getByTestId('handover-row-customer')).getByTestId('handover-owned').textContent,
    ).toBe('4');
    expect((within(step).getByLabelText('Customer') as HTMLInputElement).checked).toBe(true);
    expect((within(step).getByLabelText('Deal') as HTMLInputElement).checked).toBe(false);
    expect(screen.getByTestId('handover-tasks').textContent).toContain('Open workflow tasks: 2');
    fireEvent.click(nextButton());

    await screen.findByTestId('handover-step-confirm');
    expect(screen.getByTestId('handover-plan-customer').textContent).toBe('Customer: 4');
    fireEvent.click(screen.getByTestId('handover-confirm'));

    const done = await screen.findByTestId('handover-result');
    expect(calls).toEqual([
      { id: 'zhang', body: { successorId: 'li', transfers: [{ entity: 'customer' }] } },
    ]);
    expect(done.textContent).toContain('Records now with 李四: 4');
    expect(screen.getByTestId('handover-summary-k:workflowTasks').textContent).toContain('2');
    expect(screen.getByTestId('handover-summary-sessions').textContent).toContain('1');
    expect(onDone).toHaveBeenCalledOnce();
  });

  it('deactivates without a hand-over when nobody takes over', async () => {
    const { api, calls } = fakeApi({ transferred: [], moved: [] });
    renderAdmin(<HandoverWizard member={leaving} onClose={() => {}} onDone={() => {}} />, {
      entities,
      members,
      api,
      locale: 'zh-CN',
    });
    fireEvent.click(await screen.findByText('不交接，直接停用（记录保留在原负责人名下）'));
    await waitFor(() =>
      expect((screen.getByTestId('handover-next') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('handover-next'));
    // Straight to the confirmation.
    await screen.findByTestId('handover-step-confirm');
    expect(screen.getByTestId('handover-step-confirm').textContent).toContain('无（不交接）');
    fireEvent.click(screen.getByTestId('handover-confirm'));
    await screen.findByTestId('handover-result');
    expect(calls).toEqual([{ id: 'zhang', body: {} }]);
    expect(screen.getByTestId('handover-result').textContent).toContain('未交接任何数据');
  });

  it('shows the server’s refusal and stays on the confirmation', async () => {
    const { api } = fakeApi();
    (api.members as { deactivate: unknown }).deactivate = vi.fn(async () => {
      const { ApiError } = await import('../../api.js');
      throw new ApiError(422, 'VALIDATION_FAILED', 'invalid', {
        fields: [
          { field: 'successorId', code: 'successor', message: 'The successor must be an active member' },
        ],
      });
    });
    renderAdmin(<HandoverWizard member={leaving} onClose={() => {}} onDone={() => {}} />, {
      entities,
      members,
      api,
    });
    fireEvent.mouseDown(await screen.findByRole('combobox', { name: 'Successor' }));
    fireEvent.click(await screen.findByTitle('李四 · li@x.test'));
    await waitFor(() =>
      expect((screen.getByTestId('handover-next') as HTMLButtonElement).disabled).toBe(false),
    );
    fireEvent.click(screen.getByTestId('handover-next'));
    await screen.findByTestId('handover-step-transfer');
    fireEvent.click(screen.getByTestId('handover-next'));
    fireEvent.click(await screen.findByTestId('handover-confirm'));
    expect((await screen.findByTestId('handover-error')).textContent).toContain(
      'The successor must be an active member',
    );
    expect(screen.getByTestId('handover-step-confirm')).toBeTruthy();
  });
});
