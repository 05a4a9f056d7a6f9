import type { EntityDefinition, SortItem } from '@formwork/metadata';
import { fireEvent, screen, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { nextSort, type RecordRow, RecordTable, visibleRange } from './RecordTable.js';
import { renderWithI18n } from './test-utils.js';

const entity: EntityDefinition = {
  key: 'deal',
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } },
    { key: 'amount', type: 'amount', label: { 'zh-CN': '金额', en: 'Amount' } },
    {
      key: 'stage',
      type: 'select',
      options: [{ value: 'won', label: { 'zh-CN': '赢单', en: 'Won' }, color: 'green' }],
    },
    { key: 'items', type: 'subform', fields: [{ key: 'qty', type: 'number' }] },
  ],
};

const rows = (n: number): RecordRow[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `r${i}`,
    name: `Deal ${i}`,
    amount: 1000 * i,
    stage: 'won',
    items: [],
  }));

// happy-dom lays nothing out: give every element the size of the scrolling area, as a browser would.
const sizes = { clientHeight: 440, clientWidth: 1024 } as const;
const saved = Object.keys(sizes).map(
  (k) => [k, Object.getOwnPropertyDescriptor(HTMLElement.prototype, k)] as const,
);
beforeAll(() => {
  for (const [k, v] of Object.entries(sizes))
    Object.defineProperty(HTMLElement.prototype, k, { configurable: true, get: () => v });
});
afterAll(() => {
  for (const [k, d] of saved) if (d) Object.defineProperty(HTMLElement.prototype, k, d);
});

/** Scrolls the table's rows to `top` px, as a wheel or a drag would (then the scroll event). */
function scrollTo(top: number): void {
  const scroller = screen.getByTestId('record-table-scroll');
  scroller.scrollTop = top;
  fireEvent.scroll(scroller);
}

describe('RecordTable', () => {
  it('renders only the rows in view of a long list', () => {
    renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(10_000)}
        columns={['name', 'amount']}
        locale="en"
        height={440}
      />,
    );
    const shown = screen.getAllByTestId('record-row');
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(60);
    expect(screen.getByText('Deal 0')).toBeTruthy();
    expect(screen.queryByText('Deal 9999')).toBeNull();
  });

  it('draws the rows of a new scroll position, a few beyond the view and none far away', () => {
    renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(10_000)}
        columns={['name', 'amount']}
        locale="en"
        height={440}
      />,
    );
    scrollTo(5000 * 44);
    expect(screen.getByText('Deal 5000')).toBeTruthy();
    expect(screen.getByText('Deal 5008')).toBeTruthy();
    expect(screen.queryByText('Deal 0')).toBeNull();
    expect(screen.getAllByTestId('record-row').length).toBeLessThan(25);
    // The drawn rows follow one another from the first of them, placed at its offset.
    const drawn = screen.getAllByTestId('record-row');
    const top = drawn[0] as HTMLElement;
    const first = Number(top.dataset.index);
    expect(drawn.map((r) => Number(r.dataset.index))).toEqual(drawn.map((_, i) => first + i));
    expect((top.parentElement as HTMLElement).style.transform).toBe(`translateY(${first * 44}px)`);
  });

  it('reuses the row elements while scrolling: no element is created, dropped or moved', () => {
    renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(10_000)}
        columns={['name', 'amount']}
        locale="en"
        height={440}
      />,
    );
    scrollTo(3 * 44);
    const before = screen.getAllByTestId('record-row');
    const cells = before.map((r) => r.querySelector('[role="cell"]'));
    scrollTo(20 * 44);
    const after = screen.getAllByTestId('record-row');
    expect(after).toEqual(before); // the same elements, in the same order
    expect(after.map((r) => r.querySelector('[role="cell"]'))).toEqual(cells);
    // …now showing the records at the new position, in order, each with its place among all records.
    const first = after[0] as HTMLElement;
    expect(first.dataset.id).toBe('r17');
    expect(first.getAttribute('aria-rowindex')).toBe('19');
    expect(after.map((r) => Number(r.dataset.index))).toEqual(after.map((_, i) => 17 + i));
    expect(screen.getByText('Deal 20')).toBeTruthy();
  });

  it('keeps the focus with its record while it is drawn, and lets go of it once it is not', () => {
    renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(10_000)}
        columns={['name', 'amount']}
        locale="en"
        height={440}
        onOpen={() => undefined}
      />,
    );
    const row5 = screen.getByText('Deal 5').closest('[data-testid="record-row"]') as HTMLElement;
    row5.focus();
    scrollTo(4 * 44);
    const focused = document.activeElement as HTMLElement;
    expect(focused.dataset.id).toBe('r5');
    expect(focused.textContent).toContain('Deal 5');
    scrollTo(100 * 44);
    expect((document.activeElement as HTMLElement).dataset?.id).toBeUndefined();
  });

  it('shows the selection it is given in the rows drawn, after scrolling too', () => {
    const props = {
      entity,
      rows: rows(10_000),
      columns: ['name'],
      locale: 'en' as const,
      height: 440,
      onSelectedChange: vi.fn(),
    };
    const { rerender } = renderWithI18n(<RecordTable {...props} selected={new Set(['r20'])} />);
    scrollTo(20 * 44);
    const rowOf = (id: string) =>
      document.querySelector(`[data-testid="record-row"][data-id="${id}"]`) as HTMLElement;
    const checked = () =>
      screen
        .getAllByTestId('record-row')
        .filter((r) => within(r).getByRole<HTMLInputElement>('checkbox').checked)
        .map((r) => r.dataset.id);
    expect(checked()).toEqual(['r20']);
    expect(rowOf('r20').classList.contains('fw-rt-selected')).toBe(true);
    rerender(<RecordTable {...props} selected={new Set(['r21', 'r22'])} />);
    expect(checked()).toEqual(['r21', 'r22']);
    expect(rowOf('r20').classList.contains('fw-rt-selected')).toBe(false);
    // A press on a checkbox asks for the new selection; the box shows the selection it is given.
    fireEvent.click(within(rowOf('r23')).getByRole('checkbox'));
    expect([...(props.onSelectedChange.mock.lastCall?.[0] ?? [])].sort()).toEqual(['r21', 'r22', 'r23']);
    expect(checked()).toEqual(['r21', 'r22']);
  });

  it('shows a record changed in place, the columns chosen and the records of a new list', () => {
    const table = (list: RecordRow[], columns: string[]) => (
      <RecordTable entity={entity} rows={list} columns={columns} locale="en" height={440} />
    );
    const list = rows(100);
    const { rerender } = renderWithI18n(table(list, ['name', 'amount']));
    const secondRow = () =>
      [...(screen.getAllByTestId('record-row')[1] as HTMLElement).querySelectorAll('[role="cell"]')].map(
        (c) => c.textContent,
      );
    expect(secondRow()).toEqual(['Deal 1', '¥1,000.00']);
    const edited = list.map((r) => (r.id === 'r1' ? { ...r, name: 'Deal 1 (edited)' } : r));
    rerender(table(edited, ['name', 'amount']));
    expect(secondRow()).toEqual(['Deal 1 (edited)', '¥1,000.00']);
    rerender(table(edited, ['amount', 'name']));
    expect(secondRow()).toEqual(['¥1,000.00', 'Deal 1 (edited)']);
    const other = rows(3).map((r) => ({ ...r, id: `x${r.id}`, name: `Other ${r.id}` }));
    rerender(table(other, ['amount', 'name']));
    expect(screen.getAllByTestId('record-row').map((r) => r.dataset.id)).toEqual(['xr0', 'xr1', 'xr2']);
    expect(secondRow()).toEqual(['¥1,000.00', 'Other r1']);
  });

  it('draws one tag per option value and none for an empty one, as the records scroll by', () => {
    const tagged: EntityDefinition = {
      key: 'lead',
      fields: [
        {
          key: 'tags',
          type: 'multiSelect',
          options: [
            { value: 'hot', label: { 'zh-CN': '热', en: 'Hot' }, color: 'red' },
            { value: 'vip', label: { 'zh-CN': '重要', en: 'VIP' }, color: '#123456' },
          ],
        },
      ],
    };
    // Record i has i % 3 tags.
    const list: RecordRow[] = Array.from({ length: 300 }, (_, i) => ({
      id: `l${i}`,
      tags: ['hot', 'vip'].slice(0, i % 3),
    }));
    renderWithI18n(<RecordTable entity={tagged} rows={list} columns={['tags']} locale="en" height={440} />);
    for (const at of [0, 31, 32, 100, 31]) {
      scrollTo(at * 44);
      for (const row of screen.getAllByTestId('record-row')) {
        const n = Number(row.dataset.index) % 3;
        const tags = [...row.querySelectorAll<HTMLElement>('.fw-rt-tag')];
        expect(tags.map((t) => t.textContent)).toEqual(['Hot', 'VIP'].slice(0, n));
        if (n === 2) expect(tags[1]?.style.background).toBe('#123456');
      }
    }
  });

  it('gives the row actions the record their row shows, after scrolling too', () => {
    const restore = vi.fn();
    renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(1000)}
        columns={['name']}
        locale="en"
        height={440}
        rowActions={(row) => (
          <button type="button" onClick={() => restore(row.id)}>
            Restore
          </button>
        )}
      />,
    );
    scrollTo(50 * 44);
    const row = screen.getByText('Deal 50').closest('[data-testid="record-row"]') as HTMLElement;
    fireEvent.click(within(row).getByText('Restore'));
    expect(restore).toHaveBeenCalledWith('r50');
  });

  it('shows the records scrolled to as cards on phones', () => {
    renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(1000)}
        columns={['name', 'amount', 'stage']}
        locale="en"
        height={440}
        cards
      />,
    );
    scrollTo(100 * 96);
    const card = screen.getByText('Deal 100').closest('[data-testid="record-row"]') as HTMLElement;
    expect(card.dataset.index).toBe('100');
    expect(card.getAttribute('aria-rowindex')).toBe('101');
    expect(within(card).getByText('¥100,000.00')).toBeTruthy();
    expect(within(card).getByText('Won')).toBeTruthy();
  });

  it('computes the rows in view from the scroll offset alone', () => {
    expect(visibleRange(0, 400, 44, 10_000)).toEqual({ first: 0, last: 13 });
    expect(visibleRange(44 * 100, 400, 44, 10_000)).toEqual({ first: 97, last: 113 });
    expect(visibleRange(44 * 9_995, 400, 44, 10_000)).toEqual({ first: 9_992, last: 9_999 });
    expect(visibleRange(0, 400, 44, 0)).toEqual({ first: 0, last: -1 });
  });

  it('formats cells by field type and labels the headers in the reader language', () => {
    renderWithI18n(
      <RecordTable entity={entity} rows={rows(3)} columns={['name', 'amount', 'stage']} locale="zh-CN" />,
      'zh-CN',
    );
    expect(screen.getByText('名称')).toBeTruthy();
    expect(screen.getByText('¥2,000.00')).toBeTruthy();
    expect(screen.getAllByText('赢单').length).toBe(3);
  });

  it('asks for the next page when the end of the loaded rows is in view', () => {
    const onLoadMore = vi.fn();
    renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(3)}
        columns={['name']}
        locale="en"
        hasMore
        onLoadMore={onLoadMore}
      />,
    );
    expect(onLoadMore).toHaveBeenCalled();
  });

  it('does not ask for more while loading or when there is nothing more', () => {
    const onLoadMore = vi.fn();
    renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(3)}
        columns={['name']}
        locale="en"
        hasMore
        loading
        onLoadMore={onLoadMore}
      />,
    );
    renderWithI18n(
      <RecordTable entity={entity} rows={rows(3)} columns={['name']} locale="en" onLoadMore={onLoadMore} />,
    );
    expect(onLoadMore).not.toHaveBeenCalled();
  });

  it('sorts from the header: ascending, then descending, then none', () => {
    const onSortChange = vi.fn();
    const { rerender } = renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(2)}
        columns={['name', 'amount']}
        locale="en"
        sort={[]}
        onSortChange={onSortChange}
      />,
    );
    fireEvent.click(screen.getByTestId('sort-amount'));
    expect(onSortChange).toHaveBeenLastCalledWith([{ field: 'amount', direction: 'asc' }]);
    rerender(
      <RecordTable
        entity={entity}
        rows={rows(2)}
        columns={['name', 'amount']}
        locale="en"
        sort={[{ field: 'amount', direction: 'asc' }]}
        onSortChange={onSortChange}
      />,
    );
    expect(
      screen.getAllByRole('columnheader').find((h) => h.getAttribute('aria-sort') === 'ascending'),
    ).toBeTruthy();
    expect(screen.queryByTestId('sort-items')).toBeNull();
  });

  it('cycles and combines sort keys', () => {
    const asc: SortItem[] = [{ field: 'a', direction: 'asc' }];
    expect(nextSort(asc, 'a', false)).toEqual([{ field: 'a', direction: 'desc' }]);
    expect(nextSort([{ field: 'a', direction: 'desc' }], 'a', false)).toEqual([]);
    expect(nextSort(asc, 'b', true)).toEqual([...asc, { field: 'b', direction: 'asc' }]);
    expect(nextSort(asc, 'b', false)).toEqual([{ field: 'b', direction: 'asc' }]);
  });

  it('selects rows and all rows, and opens a row on click and Enter', () => {
    const onSelectedChange = vi.fn();
    const onOpen = vi.fn();
    renderWithI18n(
      <RecordTable
        entity={entity}
        rows={rows(3)}
        columns={['name']}
        locale="en"
        selected={new Set(['r1'])}
        onSelectedChange={onSelectedChange}
        onOpen={onOpen}
      />,
    );
    fireEvent.click(screen.getByLabelText('Select all'));
    expect([...(onSelectedChange.mock.lastCall?.[0] ?? [])]).toEqual(['r0', 'r1', 'r2']);
    const first = screen.getAllByTestId('record-row')[0] as HTMLElement;
    fireEvent.click(within(first).getByRole('checkbox'));
    expect([...(onSelectedChange.mock.lastCall?.[0] ?? [])].sort()).toEqual(['r0', 'r1']);
    expect(onOpen).not.toHaveBeenCalled();
    fireEvent.click(within(first).getByText('Deal 0'));
    expect(onOpen).toHaveBeenCalledWith(expect.objectContaining({ id: 'r0' }));
    fireEvent.keyDown(screen.getAllByTestId('record-row')[2] as HTMLElement, { key: 'Enter' });
    expect(onOpen).toHaveBeenLastCalledWith(expect.objectContaining({ id: 'r2' }));
  });

  it('shows one card per record on phones, with the title and three more fields', () => {
    renderWithI18n(
      <RecordTable entity={entity} rows={rows(2)} columns={['name', 'amount', 'stage']} locale="en" cards />,
    );
    const card = screen.getAllByTestId('record-row')[1] as HTMLElement;
    expect(within(card).getByText('Deal 1')).toBeTruthy();
    expect(within(card).getByText('Amount：')).toBeTruthy();
    expect(screen.queryAllByRole('columnheader')).toHaveLength(0);
  });

  it('says so when there are no records', () => {
    renderWithI18n(<RecordTable entity={entity} rows={[]} columns={['name']} locale="zh-CN" />, 'zh-CN');
    expect(screen.getByText('没有记录')).toBeTruthy();
  });
});
