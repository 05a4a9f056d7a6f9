import type { EntityDefinition } from '@formwork/metadata';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import i18next from 'i18next';
import type { ReactElement } from 'react';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { viewsResources } from '../views/i18n.js';
import { FlowDesigner, type FlowDesignerApi } from './FlowDesigner.js';
import { flowResources } from './i18n.js';
import { type FlowDefinition, newFlow } from './index.js';

afterEach(cleanup);

beforeAll(() => {
  // React Flow measures nodes with ResizeObserver; the DOM here has none.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});

const order: EntityDefinition = {
  key: 'order',
  label: { 'zh-CN': '订单', en: 'Order' },
  fields: [
    { key: 'title', type: 'text', label: { 'zh-CN': '标题', en: 'Title' } },
    { key: 'amount', type: 'amount', label: { 'zh-CN': '金额', en: 'Amount' } },
  ],
};

function renderIn(ui: ReactElement, locale: 'zh-CN' | 'en' = 'en') {
  const i18n = i18next.createInstance();
  const resources = {
    'zh-CN': { ...viewsResources['zh-CN'], ...flowResources['zh-CN'] },
    en: { ...viewsResources.en, ...flowResources.en },
  };
  void i18n.use(initReactI18next).init({
    lng: locale,
    resources: JSON.parse(JSON.stringify(resources)),
    ns: ['flow', 'views'],
    defaultNS: 'flow',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  return render(<I18nextProvider i18n={i18n}>{ui}</I18nextProvider>);
}

describe('FlowDesigner', () => {
  it('adds a node from the palette, shows its problems, undoes and redoes it, and hands the draft to the host', async () => {
    let api: FlowDesignerApi | undefined;
    const onChange = vi.fn();
    renderIn(
      <FlowDesigner
        value={newFlow({ key: 'order.approval', entity: 'order' })}
        entity={order}
        locale="en"
        roles={[{ id: 'manager', name: 'Manager' }]}
        onChange={onChange}
        actions={(a) => {
          api = a;
          return null;
        }}
        height={600}
      />,
    );
    await screen.findByTestId('flow-node-approval1');
    expect(screen.getByTestId('problem-count').textContent).toContain('No problems');
    expect(api?.dirty).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Add Carbon copy' }));
    const panel = await screen.findByTestId('node-panel');
    expect(panel.dataset.node).toBe('cc1');
    await waitFor(() => expect(screen.getByTestId('flow-node-cc1').dataset.errors).not.toBe('0'));
    expect(within(panel).getByTestId('issue-list').textContent).toMatch(/no recipients yet/);
    expect(api?.canSave).toBe(false);
    expect(api?.dirty).toBe(true);
    expect(onChange).toHaveBeenCalled();

    // Undo takes the node away again; redo brings it back.
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(screen.queryByTestId('flow-node-cc1')).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Redo' }));
    await screen.findByTestId('flow-node-cc1');
    expect(api?.definition.nodes.map((n) => n.id)).toEqual(['start', 'approval1', 'approved', 'cc1']);
  });

  it('shows the server’s issues on the node they name', async () => {
    const def: FlowDefinition = newFlow({ key: 'order.approval', entity: 'order' });
    renderIn(
      <FlowDesigner
        value={def}
        entity={order}
        locale="zh-CN"
        serverIssues={[
          {
            field: 'nodes.1.data.assignees',
            code: 'assigneesEmpty',
            message: { 'zh-CN': '节点 approval1 的处理人规则找不到任何人', en: 'nobody' },
          },
        ]}
        height={600}
      />,
      'zh-CN',
    );
    const node = await screen.findByTestId('flow-node-approval1');
    await waitFor(() => expect(node.dataset.errors).toBe('1'));
    expect(screen.getByTestId('problem-count').textContent).toContain('1 个错误');
  });
});
