import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CUSTOMER_ID, fakeServices, orderEntity, USER_ID } from '../test/fixtures.js';
import { FormRenderer } from './FormRenderer.js';
import { loadFormLogic } from './logic.js';

afterEach(cleanup);

function field(key: string): HTMLElement {
  const el = document.querySelector<HTMLElement>(`[data-field="${key}"]`);
  if (!el) throw new Error(`no field ${key}`);
  return el;
}

/** A host that re-renders the form with new (but equal) props on demand. */
function Host({ onSubmit }: { onSubmit: (v: Record<string, unknown>) => void }) {
  const [n, setN] = useState(0);
  return (
    <>
      <button type="button" onClick={() => setN(n + 1)}>
        rerender {n}
      </button>
      <FormRenderer
        entity={{ ...orderEntity }}
        locale="en"
        services={fakeServices()}
        value={{ title: 'start' }}
        mode="edit"
        onSubmit={onSubmit}
      />
    </>
  );
}

// The formula engine is a chunk of its own: the forms here evaluate formulas, so it is there first.
beforeAll(() => loadFormLogic());

describe('FormRenderer', () => {
  it('renders every field with its label and fills defaults (constant, current member, today)', async () => {
    const services = fakeServices();
    render(
      <FormRenderer entity={orderEntity} locale="zh-CN" services={services} onSubmit={() => undefined} />,
    );
    expect(screen.getByText('标题')).toBeTruthy();
    expect(within(field('status')).getByText('进行中')).toBeTruthy();
    expect((within(field('day')).getByDisplayValue('2026-11-23') as HTMLInputElement).type).toBe('date');
    await waitFor(() => expect(within(field('owner')).getByText('张三')).toBeTruthy());
    expect(within(field('no')).getByText('保存后自动生成')).toBeTruthy();
  });

  it('shows a required error in Chinese and does not submit, then submits the fixed values', async () => {
    const onSubmit = vi.fn();
    const user = userEvent.setup();
    render(
      <FormRenderer entity={orderEntity} locale="zh-CN" services={fakeServices()} onSubmit={onSubmit} />,
    );
    await user.click(screen.getByRole('button', { name: /提\s*交/ }));
    // The validator is its own chunk, loaded on the first edit or submit: its errors appear once it has run.
    await waitFor(() => expect(within(field('title')).getByRole('alert').textContent).toBe('标题 不能为空'));
    expect(onSubmit).not.toHaveBeenCalled();
    await user.type(within(field('title')).getByRole('textbox'), 'Big deal');
    await waitFor(() => expect(within(field('title')).queryByRole('alert')).toBeNull());
    await user.click(screen.getByRole('button', { name: /提\s*交/ }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const value = onSubmit.mock.calls[0]?.[0] as Record<string, unknown>;
    expect(value.title).toBe('Big deal');
    expect(value.owner).toBe(USER_ID);
    expect(value.status).toBe('open');
    expect(value).not.toHaveProperty('total');
    expect(value).not.toHaveProperty('lossReason');
  });

  it('shows a field only while its show rule holds, and then requires it', async () => {
    const onSubmit = vi.fn();
    render(
      <FormRenderer
        entity={orderEntity}
        locale="en"
        services={fakeServices()}
        value={{ title: 'x', status: 'open' }}
        mode="create"
        onSubmit={onSubmit}
      />,
    );
    expect(document.querySelector('[data-field="lossReason"]')).toBeNull();
    const combo = within(field('status')).getByRole('combobox');
    fireEvent.mouseDown(combo);
    fireEvent.click(await screen.findByTitle('Lost'));
    await waitFor(() => expect(document.querySelector('[data-field="lossReason"]')).not.toBeNull());
    fireEvent.click(screen.getByRole('button', { name: /submit/i }));
    await waitFor(() =>
      expect(within(field('lossReason')).getByRole('alert').textContent).toBe('Loss reason is required'),
    );
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('computes subform row formulas and the total live, and validates each row', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    render(
      <FormRenderer
        entity={orderEntity}
        locale="en"
        services={fakeServices()}
        value={{ title: 't' }}
        mode="create"
        onSubmit={onSubmit}
      />,
    );
    const items = field('items');
    await user.click(within(items).getByRole('button', { name: /add row/i }));
    await user.click(within(items).getByRole('button', { name: /add row/i }));
    const rows = items.querySelectorAll('tbody tr');
    expect(rows.length).toBe(2);
    const qty0 = rows[0]?.querySelector('td[data-label="Qty"] input') as HTMLInputElement;
    expect(qty0.value).toBe('1');
    const price0 = rows[0]?.querySelector('td[data-label="Price"] input') as HTMLInputElement;
    await user.type(price0, '1234.5');
    fireEvent.blur(price0);
    await waitFor(() =>
      expect(rows[0]?.querySelector('td[data-label="Amount"] output')?.textContent).toBe('1,234.50'),
    );
    expect(field('total').querySelector('output')?.textContent).toBe('1,234.50');
    await user.click(screen.getByRole('button', { name: /submit/i }));
    await waitFor(() => expect(items.querySelectorAll('.fw-error').length).toBeGreaterThan(0));
    expect(
      items.querySelector('tbody tr[data-row="1"] td[data-label="Product"] .fw-error')?.textContent,
    ).toBe('Product is required');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('fills phone and address from the picked customer and shows its lookup', async () => {
    const services = fakeServices();
    render(
      <FormRenderer entity={orderEntity} locale="zh-CN" services={services} onSubmit={() => undefined} />,
    );
    fireEvent.mouseDown(within(field('customer')).getByRole('combobox'));
    // The light box becomes antd's Select (a chunk of its own), opened: search in its input.
    const combo = await waitFor(() => {
      const input = field('customer').querySelector<HTMLInputElement>('input[role="combobox"]');
      if (!input) throw new Error('antd’s Select has not mounted yet');
      return input;
    });
    fireEvent.change(combo, { target: { value: 'ac' } });
    const option = await screen.findByTitle('ACME 有限公司', {}, { timeout: 2000 });
    fireEvent.click(option);
    await waitFor(() => expect(services.calls.getRecord).toContain(`customer:${CUSTOMER_ID}`));
    await waitFor(() =>
      expect(within(field('phone')).getByRole('textbox')).toHaveProperty('value', '13800138000'),
    );
    expect(within(field('address')).getByRole('textbox')).toHaveProperty('value', '上海市浦东新区');
    expect(field('customerName').querySelector('output')?.textContent).toBe('ACME 有限公司');
  });

  it('shows server issues on their fields in the user language and clears one when the field changes', async () => {
    const user = userEvent.setup();
    render(
      <FormRenderer
        entity={orderEntity}
        locale="zh-CN"
        services={fakeServices()}
        value={{ title: 'a' }}
        mode="edit"
        serverIssues={[
          { field: 'title', code: 'unique', message: { 'zh-CN': '标题 已存在', en: 'Title already exists' } },
          { field: 'items.0.qty', code: 'minimum', message: { 'zh-CN': '数量 太小', en: 'Qty too small' } },
          { field: '', code: 'rule', message: { 'zh-CN': '记录无效', en: 'Record invalid' } },
        ]}
        onSubmit={() => undefined}
      />,
    );
    expect(within(field('title')).getByRole('alert').textContent).toBe('标题 已存在');
    expect(screen.getByText('记录无效')).toBeTruthy();
    await user.type(within(field('title')).getByRole('textbox'), 'b');
    await waitFor(() => expect(within(field('title')).queryByRole('alert')).toBeNull());
  });

  it('warns about duplicates while typing into a dedupe field', async () => {
    const services = fakeServices();
    const user = userEvent.setup();
    render(
      <FormRenderer entity={orderEntity} locale="zh-CN" services={services} onSubmit={() => undefined} />,
    );
    await user.type(within(field('title')).getByRole('textbox'), 'ACME');
    const banner = await screen.findByTestId('fw-duplicates', {}, { timeout: 3000 });
    expect(banner.textContent).toContain('已存在相似记录：ACME 老客户');
    expect(services.calls.dupes.at(-1)).toEqual({ title: 'ACME' });
  });

  it('honours field access: hidden fields are not shown, read-only ones cannot be edited, neither is submitted', async () => {
    const onSubmit = vi.fn();
    render(
      <FormRenderer
        entity={orderEntity}
        locale="en"
        services={fakeServices()}
        value={{ title: 'a', phone: '13800138000', address: 'x' }}
        mode="edit"
        fieldAccess={{ phone: 'hidden', address: 'readOnly' }}
        onSubmit={onSubmit}
      />,
    );
    expect(document.querySelector('[data-field="phone"]')).toBeNull();
    expect((within(field('address')).getByRole('textbox') as HTMLInputElement).readOnly).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: /submit/i }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    const v = onSubmit.mock.calls[0]?.[0] as Record<string, unknown>;
    expect(v).not.toHaveProperty('phone');
    expect(v).not.toHaveProperty('address');
  });

  it('renders read-only with no submit button in view mode', () => {
    render(
      <FormRenderer
        entity={orderEntity}
        locale="en"
        services={fakeServices()}
        value={{ title: 'Seen' }}
        mode="view"
        onSubmit={() => undefined}
      />,
    );
    expect(screen.queryByRole('button', { name: /submit/i })).toBeNull();
    expect((within(field('title')).getByRole('textbox') as HTMLInputElement).readOnly).toBe(true);
  });

  it('reports value changes with formulas computed', async () => {
    const onChange = vi.fn();
    const user = userEvent.setup();
    render(
      <FormRenderer
        entity={orderEntity}
        locale="en"
        services={fakeServices()}
        onChange={onChange}
        onSubmit={() => undefined}
      />,
    );
    await user.type(within(field('title')).getByRole('textbox'), 'Z');
    await act(async () => undefined);
    const last = onChange.mock.calls.at(-1)?.[0] as Record<string, unknown>;
    expect(last.title).toBe('Z');
    expect(last).toHaveProperty('total');
  });

  it('keeps what the user typed when the host re-renders with new but equal props', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn();
    render(<Host onSubmit={onSubmit} />);
    const input = within(field('title')).getByRole('textbox');
    await user.type(input, ' typed');
    await user.click(screen.getByRole('button', { name: /rerender/ }));
    await user.click(screen.getByRole('button', { name: /rerender/ }));
    expect(within(field('title')).getByRole('textbox')).toHaveProperty('value', 'start typed');
    fireEvent.click(screen.getByRole('button', { name: /submit/i }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0]?.[0]).toMatchObject({ title: 'start typed' });
  });
});
