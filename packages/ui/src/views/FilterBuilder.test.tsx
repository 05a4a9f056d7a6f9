import type { EntityDefinition, FilterNode } from '@formwork/metadata';
import { validateFilter } from '@formwork/metadata';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FilterBuilder, isoToLocalInput, localInputToIso } from './FilterBuilder.js';
import { renderWithI18n } from './test-utils.js';

const entity: EntityDefinition = {
  key: 'deal',
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } },
    { key: 'amount', type: 'amount', label: { 'zh-CN': '金额', en: 'Amount' } },
    { key: 'closeOn', type: 'date', label: { 'zh-CN': '成交日期', en: 'Close date' } },
  ],
};

const last = (fn: ReturnType<typeof vi.fn>) => fn.mock.lastCall?.[0] as FilterNode | undefined;

describe('FilterBuilder', () => {
  it('adds a condition and reports the AST once it has a value', () => {
    const onChange = vi.fn();
    renderWithI18n(<FilterBuilder entity={entity} locale="en" onChange={onChange} />);
    expect(screen.getByText('No conditions yet')).toBeTruthy();
    fireEvent.click(screen.getByText(/Add condition/));
    expect(last(onChange)).toBeUndefined();
    fireEvent.change(screen.getByLabelText('Value'), { target: { value: 'Acme' } });
    expect(last(onChange)).toEqual({ field: 'name', op: 'eq', value: 'Acme' });
  });

  it('edits an existing relative-date filter and keeps it valid for the server', () => {
    const onChange = vi.fn();
    const value: FilterNode = {
      and: [
        { field: 'closeOn', op: 'period', value: 'lastNDays:30' },
        {
          or: [
            { field: 'amount', op: 'gt', value: 100 },
            { field: 'name', op: 'isEmpty' },
          ],
        },
      ],
    };
    renderWithI18n(<FilterBuilder entity={entity} locale="en" value={value} onChange={onChange} />);
    expect(screen.getAllByTestId('filter-condition')).toHaveLength(3);
    expect((screen.getByLabelText('days') as HTMLInputElement).value).toBe('30');
    const conditions = screen.getAllByTestId('filter-condition');
    fireEvent.click(within(conditions[2] as HTMLElement).getByLabelText('Remove condition'));
    const out = last(onChange);
    expect(out).toEqual({
      and: [
        { field: 'closeOn', op: 'period', value: 'lastNDays:30' },
        { field: 'amount', op: 'gt', value: 100 },
      ],
    });
    expect(validateFilter(entity, out).ok).toBe(true);
  });

  it('keeps every change when a second one comes before the builder has redrawn (a busy machine)', () => {
    const onChange = vi.fn();
    const value: FilterNode = {
      and: [
        { field: 'name', op: 'eq', value: 'Acme' },
        { field: 'amount', op: 'gt', value: 100 },
      ],
    };
    renderWithI18n(<FilterBuilder entity={entity} locale="en" value={value} onChange={onChange} />);
    const [name, amount] = screen.getAllByTestId('filter-condition') as HTMLElement[];
    // Both events are handled before React renders again: the second one must not undo the first.
    act(() => {
      fireEvent.click(within(name as HTMLElement).getByLabelText('Remove condition'));
      fireEvent.change(within(amount as HTMLElement).getByLabelText('Value'), { target: { value: '200' } });
    });
    expect(last(onChange)).toEqual({ field: 'amount', op: 'gt', value: 200 });
    expect(screen.getAllByTestId('filter-condition')).toHaveLength(1);
  });

  it('negates the whole group', () => {
    const onChange = vi.fn();
    renderWithI18n(
      <FilterBuilder
        entity={entity}
        locale="en"
        value={{ field: 'name', op: 'eq', value: 'x' }}
        onChange={onChange}
      />,
    );
    fireEvent.click(screen.getByText('Negate (match none)'));
    expect(last(onChange)).toEqual({ not: { field: 'name', op: 'eq', value: 'x' } });
  });

  it('adds a nested group', () => {
    const onChange = vi.fn();
    renderWithI18n(<FilterBuilder entity={entity} locale="zh-CN" onChange={onChange} />, 'zh-CN');
    fireEvent.click(screen.getByText(/添加条件组/));
    expect(screen.getByText(/删除条件组/)).toBeTruthy();
    expect(screen.getAllByTestId('filter-condition')).toHaveLength(1);
  });

  it('converts datetime-local input values to UTC and back', () => {
    const iso = localInputToIso('2026-11-23T10:05');
    expect(iso).toMatch(/Z$/);
    expect(isoToLocalInput(iso)).toBe('2026-11-23T10:05');
    expect(localInputToIso('')).toBeUndefined();
  });

  it("shows scope variables by their labels only when asked to (a role's data scope)", () => {
    const value: FilterNode = { field: 'ownerId', op: 'eq', value: '$user' };
    const { unmount } = renderWithI18n(
      <FilterBuilder
        entity={entity}
        locale="en"
        value={value}
        onChange={() => {}}
        members={[{ id: 'u1', name: 'Alice' }]}
        variables={{ $user: 'Current user', $department: 'My departments' }}
      />,
    );
    expect(screen.getByTitle('Current user')).toBeTruthy();
    unmount();
    renderWithI18n(
      <FilterBuilder
        entity={entity}
        locale="en"
        value={value}
        onChange={() => {}}
        members={[{ id: 'u1', name: 'Alice' }]}
      />,
    );
    expect(screen.queryByTitle('Current user')).toBeNull();
  });
});
