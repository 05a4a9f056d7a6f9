import type { EntityDefinition } from '@formwork/metadata';
import { cleanup, fireEvent, render, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeServices } from '../test/fixtures.js';
import { FormRenderer } from './FormRenderer.js';
import { loadFormLogic } from './logic.js';
import type { WidgetProps } from './types.js';
import { formworkWidgets } from './widgets/index.js';

afterEach(cleanup);

const big: EntityDefinition = {
  key: 'big',
  fields: [
    ...Array.from({ length: 199 }, (_, i) => ({ key: `f${i}`, type: 'text' as const, label: `Field ${i}` })),
    { key: 'joined', type: 'formula', formula: 'CONCATENATE(f0, f1)' },
  ],
};

// The formula engine is a chunk of its own: the forms here evaluate formulas, so it is there first.
beforeAll(() => loadFormLogic());

describe('render scope', () => {
  it('re-renders only the widget typed into (and the formula it feeds), not the other 198 fields', async () => {
    const Original = formworkWidgets.text as (p: WidgetProps) => React.ReactElement;
    const renders = new Map<string, number>();
    formworkWidgets.text = function CountingText(p: WidgetProps) {
      renders.set(p.id, (renders.get(p.id) ?? 0) + 1);
      return <Original {...p} />;
    };
    try {
      const user = userEvent.setup();
      render(<FormRenderer entity={big} locale="en" services={fakeServices()} onSubmit={() => undefined} />);
      expect(renders.size).toBe(199);
      renders.clear();
      const input = within(document.querySelector('[data-field="f0"]') as HTMLElement).getByRole('textbox');
      await user.type(input, 'abc');
      expect([...renders.keys()]).toEqual(['root_f0']);
      expect(document.querySelector('[data-field="joined"] output')?.textContent).toBe('abc');
    } finally {
      formworkWidgets.text = Original;
    }
  });

  it('typing into a number box of a form of the common types re-renders that field only', async () => {
    const types = ['text', 'number', 'amount', 'date', 'select', 'boolean', 'phone', 'longText'] as const;
    const entity: EntityDefinition = {
      key: 'wide',
      fields: Array.from({ length: 200 }, (_, i) => {
        const type = types[i % types.length] as (typeof types)[number];
        return {
          key: `f${i}`,
          type,
          label: `Field ${i}`,
          ...(type === 'select' ? { options: [{ value: 'a' }, { value: 'b' }] } : {}),
        };
      }),
    };
    const originals = { ...formworkWidgets };
    const renders = new Map<string, number>();
    for (const [name, W] of Object.entries(originals)) {
      formworkWidgets[name] = function Counting(p: WidgetProps) {
        renders.set(p.id, (renders.get(p.id) ?? 0) + 1);
        return <W {...p} />;
      };
    }
    try {
      const user = userEvent.setup();
      render(
        <FormRenderer entity={entity} locale="en" services={fakeServices()} onSubmit={() => undefined} />,
      );
      expect(renders.size).toBe(200);
      renders.clear();
      const box = within(document.querySelector('[data-field="f2"]') as HTMLElement).getByRole('spinbutton');
      await user.type(box, '1234');
      fireEvent.blur(box);
      expect([...renders.keys()]).toEqual(['root_f2']);
      expect((box as HTMLInputElement).value).toBe('1,234.00');
    } finally {
      Object.assign(formworkWidgets, originals);
    }
  });
});
