import type { EntityDefinition } from '@formwork/metadata';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeServices } from '../test/fixtures.js';

// Every test starts from a page that has not fetched antd's Select yet: fresh modules each time.
beforeEach(() => {
  vi.resetModules();
});
afterEach(cleanup);

const entity: EntityDefinition = {
  key: 'deal',
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } },
    {
      key: 'stage',
      type: 'select',
      label: { 'zh-CN': '阶段', en: 'Stage' },
      options: [
        { value: 'open', label: { 'zh-CN': '进行中', en: 'Open' } },
        { value: 'won', label: { 'zh-CN': '赢单', en: 'Won' } },
      ],
    },
  ],
};

async function renderForm() {
  const { FormRenderer } = await import('../form/FormRenderer.js');
  render(<FormRenderer entity={entity} locale="en" services={fakeServices()} onSubmit={() => undefined} />);
  const stage = document.querySelector('[data-field="stage"]') as HTMLElement;
  return { stage, box: within(stage).getByRole('combobox', { name: 'Stage' }) };
}

const openDropdown = () => document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');

describe('a form select reached before antd’s Select is there', () => {
  it('says it is loading, takes no typing, and opens once the Select is there if it was pressed', async () => {
    const { stage, box } = await renderForm();
    fireEvent.mouseDown(box);
    expect(box.getAttribute('aria-busy')).toBe('true');
    // Typing now goes nowhere: nothing is kept to be replayed into the Select later.
    fireEvent.keyDown(box, { key: 'w' });
    await waitFor(() => expect(stage.querySelector('.ant-select')).not.toBeNull());
    expect(stage.querySelector('[aria-busy]')).toBeNull();
    await waitFor(() => expect(openDropdown()).not.toBeNull());
    expect(within(stage).getByRole('combobox').getAttribute('value') ?? '').toBe('');
    fireEvent.click(await screen.findByTitle('Won'));
    await waitFor(() => expect(stage.querySelector('.ant-select-content')?.textContent).toBe('Won'));
  });

  it('does not take the focus back nor open when the user went elsewhere meanwhile', async () => {
    const { stage, box } = await renderForm();
    box.focus();
    fireEvent.mouseDown(box);
    expect(box.getAttribute('aria-busy')).toBe('true');
    const name = (document.querySelector('[data-field="name"] input') as HTMLInputElement) ?? null;
    act(() => name.focus());
    await waitFor(() => expect(stage.querySelector('.ant-select')).not.toBeNull());
    expect(document.activeElement).toBe(name);
    expect(openDropdown()).toBeNull();
  });

  it('starts fetching the Select as the user starts filling in the form', async () => {
    const { stage } = await renderForm();
    const name = document.querySelector('[data-field="name"] input') as HTMLInputElement;
    fireEvent.focus(name);
    const { loadSelect } = await import('./deferred-select.js');
    await loadSelect();
    // Now reaching the select mounts antd's Select at once.
    fireEvent.mouseDown(within(stage).getByRole('combobox'));
    expect(stage.querySelector('.ant-select')).not.toBeNull();
  });
});

describe('DeferredSelect', () => {
  it('is a disabled box showing the chosen option while the Select loads, then antd’s Select', async () => {
    const { DeferredSelect } = await import('./deferred-select.js');
    const onChange = vi.fn();
    render(
      <DeferredSelect
        aria-label="Views"
        value="b"
        options={[
          { value: 'a', label: 'All records' },
          { label: 'Mine', options: [{ value: 'b', label: 'Big deals' }] },
        ]}
        onChange={onChange}
      />,
    );
    const box = screen.getByRole('button', { name: 'Views' });
    expect(box.textContent).toBe('Big deals');
    expect((box as HTMLButtonElement).disabled).toBe(true);
    expect(box.getAttribute('aria-busy')).toBe('true');
    await waitFor(() => expect(document.querySelector('.ant-select')).not.toBeNull());
    expect(screen.queryByRole('button', { name: 'Views' })).toBeNull();
    expect(document.querySelector('.ant-select')?.textContent).toContain('Big deals');
  });

  it('becomes antd’s Select when the Select arrives between its first drawing and its effects', async () => {
    // The Select's module is there (another screen fetched it), this page's loader has not run yet.
    await import('./antd-select.js');
    const { DeferredSelect, loadSelect } = await import('./deferred-select.js');
    const { createRoot } = await import('react-dom/client');
    const was = (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT;
    // Outside act, React runs a render's effects in a later task: the load settles in between.
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    const host = document.body.appendChild(document.createElement('div'));
    const root = createRoot(host);
    try {
      const drawn = new Promise<void>((resolve) => {
        const seen = new MutationObserver(() => {
          if (!host.querySelector('button[aria-busy="true"]')) return;
          seen.disconnect();
          void loadSelect();
          resolve();
        });
        seen.observe(host, { childList: true, subtree: true });
      });
      root.render(<DeferredSelect aria-label="Views" value="a" options={[{ value: 'a', label: 'All' }]} />);
      await drawn;
      await waitFor(() => expect(host.querySelector('.ant-select')).not.toBeNull());
      expect(host.querySelector('button[aria-busy]')).toBeNull();
    } finally {
      root.unmount();
      host.remove();
      (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = was;
    }
  });
});
