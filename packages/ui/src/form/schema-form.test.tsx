import type { EntityDefinition } from '@formwork/metadata';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeServices } from '../test/fixtures.js';
import { FormRenderer } from './FormRenderer.js';
import { loadFormLogic } from './logic.js';
import { FormRuntime } from './runtime.js';
import { fieldSpecs, uiOptions } from './schema-form.js';

afterEach(cleanup);

// The formula engine is a chunk of its own: the forms here evaluate formulas, so it is there first.
beforeAll(() => loadFormLogic());

describe('fieldSpecs (the rjsf schema and UI schema contract)', () => {
  const schema = {
    type: 'object',
    required: ['a'],
    properties: {
      a: { type: 'string', title: 'A' },
      b: { type: ['number', 'null'], title: 'B' },
      c: { type: 'boolean', readOnly: true },
      d: { type: 'string' },
    },
  };

  it('orders fields by ui:order, with * standing for the ones it does not name', () => {
    expect(fieldSpecs(schema, { 'ui:order': ['c', '*', 'a'] }).map((s) => s.key)).toEqual([
      'c',
      'b',
      'd',
      'a',
    ]);
    expect(fieldSpecs(schema, { 'ui:order': ['d', 'nope'] }).map((s) => s.key)).toEqual(['d', 'a', 'b', 'c']);
    expect(fieldSpecs(schema, {}).map((s) => s.key)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('takes widgets, options, titles, required and read-only from the schemas, like rjsf', () => {
    const [a, b, c, d] = fieldSpecs(
      schema,
      {
        a: { 'ui:widget': 'phone', 'ui:options': { precision: 2 }, 'ui:placeholder': 'p', 'ui:title': 'Aa' },
        d: { 'ui:readonly': true, 'ui:disabled': true },
      },
      {},
    );
    expect(a).toMatchObject({
      id: 'root_a',
      widget: 'phone',
      label: 'Aa',
      required: true,
      placeholder: 'p',
      readonly: false,
    });
    expect(a?.options).toMatchObject({ precision: 2, placeholder: 'p', widget: 'phone' });
    expect(b).toMatchObject({ widget: 'updown', label: 'B', required: false });
    expect(c).toMatchObject({ widget: 'checkbox', readonly: true, label: 'c' });
    expect(d).toMatchObject({ widget: 'text', readonly: true, disabled: true });
    expect(fieldSpecs(schema, {}, { readonly: true }).every((s) => s.readonly)).toBe(true);
  });

  it('merges ui:options with the other ui: keys, without their prefix', () => {
    expect(uiOptions({ 'ui:widget': 'x', 'ui:options': { a: 1 }, 'ui:help': 'h', other: 1 })).toEqual({
      widget: 'x',
      a: 1,
      help: 'h',
    });
  });
});

const wide: EntityDefinition = {
  key: 'wide',
  fields: [
    { key: 'name', type: 'text', label: 'Name' },
    {
      key: 'stage',
      type: 'select',
      label: 'Stage',
      options: [
        { value: 'open', label: 'Open', color: 'blue' },
        { value: 'won', label: 'Won' },
      ],
    },
    { key: 'tags', type: 'multiSelect', label: 'Tags', options: [{ value: 'x', label: 'X' }] },
  ],
};

describe('selects drawn light until used', () => {
  it('shows the chosen option without mounting antd Select, and becomes one when the pointer arrives', async () => {
    render(
      <FormRenderer
        entity={wide}
        locale="en"
        services={fakeServices()}
        mode="edit"
        value={{ stage: 'open' }}
        onSubmit={() => undefined}
      />,
    );
    const stage = document.querySelector('[data-field="stage"]') as HTMLElement;
    expect(stage.querySelector('.ant-select')).toBeNull();
    const combo = within(stage).getByRole('combobox', { name: 'Stage' });
    expect(combo.textContent).toBe('Open');
    expect(stage.querySelector('.ant-tag')?.textContent).toBe('Open');
    fireEvent.pointerEnter(combo);
    await waitFor(() => expect(stage.querySelector('.ant-select')).not.toBeNull());
    expect(within(stage).getByRole('combobox')).toBeTruthy();
  });

  it('opens at once when pressed, and takes the keyboard focus when tabbed to', async () => {
    const onSubmit = vi.fn();
    render(<FormRenderer entity={wide} locale="en" services={fakeServices()} onSubmit={onSubmit} />);
    const stage = document.querySelector('[data-field="stage"]') as HTMLElement;
    fireEvent.mouseDown(within(stage).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('Won'));
    const tags = document.querySelector('[data-field="tags"]') as HTMLElement;
    within(tags).getByRole('combobox').focus();
    await waitFor(() => expect(tags.querySelector('.ant-select')).not.toBeNull());
    await waitFor(() => expect(tags.contains(document.activeElement)).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: /submit/i }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalled());
    expect(onSubmit.mock.calls[0]?.[0]).toEqual({ stage: 'won' });
  });

  it('stays a light, disabled display in view mode', () => {
    render(
      <FormRenderer
        entity={wide}
        locale="en"
        services={fakeServices()}
        mode="view"
        value={{ stage: 'won' }}
        onSubmit={() => undefined}
      />,
    );
    const combo = within(document.querySelector('[data-field="stage"]') as HTMLElement).getByRole('combobox');
    fireEvent.pointerEnter(combo);
    fireEvent.mouseDown(combo);
    expect(combo.getAttribute('aria-disabled')).toBe('true');
    expect(document.querySelector('.ant-select')).toBeNull();
  });
});

describe('FormRuntime field channels', () => {
  const entity: EntityDefinition = {
    key: 'calc',
    fields: [
      { key: 'qty', type: 'number' },
      { key: 'note', type: 'text' },
      { key: 'double', type: 'formula', formula: 'qty * 2' },
      { key: 'why', type: 'text', visibleWhen: 'qty > 5' },
    ],
  };

  it('keeps one stable state object per field until its value, visibility or issues change', () => {
    const r = new FormRuntime({ entity, services: fakeServices(), initial: { qty: 1 } });
    const before = r.fieldState('note');
    expect(r.fieldState('note')).toBe(before);
    const seen = vi.fn();
    r.subscribe('field:note', seen);
    r.setValue('qty', 2);
    expect(r.fieldState('note')).toBe(before);
    expect(seen).not.toHaveBeenCalled();
    r.setValue('note', 'hello');
    expect(seen).toHaveBeenCalledTimes(1);
    expect(r.fieldState('note')).toEqual({ value: 'hello', hidden: false, issues: [] });
  });

  it('recomputes formulas and rules when what they read changes, and only moves the value in otherwise', () => {
    const r = new FormRuntime({ entity, services: fakeServices(), initial: { qty: 1 } });
    const double = vi.fn();
    const why = vi.fn();
    r.subscribe('computed:double', double);
    r.subscribe('hidden:why', why);
    expect(r.isHidden('why')).toBe(true);
    r.setValue('note', 'x');
    expect(double).not.toHaveBeenCalled();
    expect(r.computed).toMatchObject({ qty: 1, note: 'x', double: 2 });
    r.setValue('qty', 6);
    expect(double).toHaveBeenCalledTimes(1);
    expect(why).toHaveBeenCalledTimes(1);
    expect(r.computed).toMatchObject({ qty: 6, note: 'x', double: 12 });
    expect(r.isHidden('why')).toBe(false);
    r.setValue('note', undefined);
    expect(r.computed.note).toBeUndefined();
    expect(r.computed.double).toBe(12);
  });

  it('recomputes on every change while a formula cannot be parsed, so its error still shows', () => {
    const broken: EntityDefinition = {
      key: 'b',
      fields: [
        { key: 'a', type: 'number' },
        { key: 'f', type: 'formula', formula: 'a +' },
        { key: 'g', type: 'formula', formula: 'a + 1' },
      ],
    };
    const r = new FormRuntime({ entity: broken, services: fakeServices(), initial: {} });
    r.setValue('a', 1);
    expect(r.computed.g).toBe(2);
    expect(r.computed.f).toBeNull();
  });
});
