import type { EntityDefinition } from '@formwork/metadata';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { HistoryList } from './HistoryList.js';
import { SavedViewBar } from './SavedViewBar.js';
import { renderWithI18n } from './test-utils.js';
import type { SavedView } from './types.js';

const view = (id: string, shared: boolean, canEdit: boolean): SavedView => ({
  id,
  entity: 'deal',
  name: `View ${id}`,
  shared,
  ownerId: 'u',
  position: 0,
  config: {},
  canEdit,
});

describe('SavedViewBar', () => {
  const noop = async () => {};

  it('offers update and delete only on a view the user may edit, update only when changed', () => {
    const { rerender } = renderWithI18n(
      <SavedViewBar
        views={[view('a', true, false)]}
        current="a"
        dirty
        canShare={false}
        onSelect={vi.fn()}
        onSaveAs={noop}
        onUpdate={noop}
        onDelete={noop}
      />,
    );
    expect(screen.queryByText('Update view')).toBeNull();
    expect(screen.queryByText('Delete view')).toBeNull();
    rerender(
      <SavedViewBar
        views={[view('b', false, true)]}
        current="b"
        dirty={false}
        canShare={false}
        onSelect={vi.fn()}
        onSaveAs={noop}
        onUpdate={noop}
        onDelete={noop}
      />,
    );
    expect(screen.queryByText('Update view')).toBeNull();
    expect(screen.getByText('Delete view')).toBeTruthy();
  });

  it('saves the current settings under a name, shared when the admin ticks it', async () => {
    const onSaveAs = vi.fn(async () => {});
    renderWithI18n(
      <SavedViewBar
        views={[]}
        current={null}
        dirty={false}
        canShare
        onSelect={vi.fn()}
        onSaveAs={onSaveAs}
        onUpdate={noop}
        onDelete={noop}
      />,
    );
    fireEvent.click(screen.getByTestId('save-view'));
    fireEvent.change(await screen.findByLabelText('View name'), { target: { value: 'Big deals' } });
    fireEvent.click(screen.getByText('Share with everyone'));
    fireEvent.click(screen.getByRole('button', { name: /OK/i }));
    await waitFor(() => expect(onSaveAs).toHaveBeenCalledWith({ name: 'Big deals', shared: true }));
  });

  it('does not save a view without a name', async () => {
    const onSaveAs = vi.fn(async () => {});
    renderWithI18n(
      <SavedViewBar
        views={[]}
        current={null}
        dirty={false}
        canShare={false}
        onSelect={vi.fn()}
        onSaveAs={onSaveAs}
        onUpdate={noop}
        onDelete={noop}
      />,
      'zh-CN',
    );
    fireEvent.click(screen.getByTestId('save-view'));
    await screen.findByLabelText('视图名称');
    expect(screen.queryByText('共享给所有人')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /OK|确/ }));
    expect(await screen.findByText('请输入视图名称')).toBeTruthy();
    expect(onSaveAs).not.toHaveBeenCalled();
  });
});

describe('HistoryList', () => {
  const entity: EntityDefinition = {
    key: 'deal',
    fields: [
      { key: 'amount', type: 'amount', label: { 'zh-CN': '金额', en: 'Amount' } },
      { key: 'stage', type: 'select', options: [{ value: 'won', label: { 'zh-CN': '赢单', en: 'Won' } }] },
    ],
  };

  it('shows each change field by field with the actor name, in the reader language', () => {
    renderWithI18n(
      <HistoryList
        entity={entity}
        locale="zh-CN"
        names={new Map([['u1', '张三']])}
        items={[
          {
            id: 2,
            action: 'update',
            actor: 'u1',
            source: 'form',
            at: '2026-11-23T02:02:00Z',
            changes: [
              { field: 'amount', before: 100, after: 2500 },
              { field: 'stage', before: null, after: 'won' },
            ],
          },
          { id: 1, action: 'create', actor: 'u1', source: 'api', at: '2026-11-23T01:00:00Z', changes: [] },
        ]}
      />,
      'zh-CN',
    );
    expect(screen.getAllByTestId('history-entry')).toHaveLength(2);
    expect(screen.getByText('修改')).toBeTruthy();
    expect(screen.getByText('¥100.00')).toBeTruthy();
    expect(screen.getByText('¥2,500.00')).toBeTruthy();
    expect(screen.getByText('赢单')).toBeTruthy();
    expect(screen.getByText('（空）')).toBeTruthy();
    expect(screen.getAllByText(/张三/).length).toBe(2);
  });

  it('says when there is no history', () => {
    renderWithI18n(<HistoryList entity={entity} locale="en" items={[]} />);
    expect(screen.getByText('No changes yet')).toBeTruthy();
  });
});
