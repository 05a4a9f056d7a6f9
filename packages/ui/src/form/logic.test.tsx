import type { EntityDefinition, FieldDefinition } from '@formwork/metadata';
import * as metadata from '@formwork/metadata';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeServices, orderEntity, USER_ID } from '../test/fixtures.js';
import { needsFormLogic, PLAIN_LOGIC } from './logic.js';

afterEach(cleanup);

const label = (en: string) => ({ 'zh-CN': en, en });

/** A form that evaluates nothing: every common type, a subform, a relation without linkage. */
const plain: EntityDefinition = {
  key: 'plain',
  fields: [
    { key: 'name', type: 'text', label: label('Name') },
    { key: 'amount', type: 'amount', label: label('Amount') },
    { key: 'qty', type: 'number', label: label('Qty') },
    { key: 'day', type: 'date', label: label('Day') },
    { key: 'at', type: 'datetime', label: label('At') },
    { key: 'done', type: 'boolean', label: label('Done') },
    { key: 'stage', type: 'select', label: label('Stage'), options: [{ value: 'a' }, { value: 'b' }] },
    { key: 'tags', type: 'tags', label: label('Tags') },
    { key: 'who', type: 'member', label: label('Who') },
    { key: 'customer', type: 'relation', target: 'customer', label: label('Customer') },
    { key: 'no', type: 'autoNumber', pattern: 'N-{000}', label: label('No') },
    {
      key: 'items',
      type: 'subform',
      label: label('Items'),
      fields: [
        { key: 'product', type: 'text', label: label('Product') },
        { key: 'price', type: 'amount', label: label('Price') },
      ],
    },
  ],
};

const ctx = { now: new Date('2026-11-23T08:00:00Z'), timeZone: 'Asia/Shanghai', user: { id: USER_ID } };

describe('form logic', () => {
  it('is needed for formulas, show/hide rules, defaults and linkage, in subforms too', () => {
    expect(needsFormLogic(plain)).toBe(false);
    expect(needsFormLogic(orderEntity)).toBe(true);
    const plus = (f: FieldDefinition): EntityDefinition => ({ ...plain, fields: [...plain.fields, f] });
    expect(needsFormLogic(plus({ key: 'f', type: 'formula', formula: 'qty * 2' }))).toBe(true);
    expect(needsFormLogic(plus({ key: 'n', type: 'text', visibleWhen: 'done' }))).toBe(true);
    expect(needsFormLogic(plus({ key: 'd', type: 'date', defaultValue: '$today' }))).toBe(true);
    expect(needsFormLogic(plus({ key: 'c', type: 'text', defaultValue: 'x' }))).toBe(true);
    expect(
      needsFormLogic(
        plus({ key: 'r', type: 'relation', target: 'customer', fill: [{ from: 'phone', to: 'name' }] }),
      ),
    ).toBe(true);
    expect(
      needsFormLogic(
        plus({
          key: 's',
          type: 'subform',
          fields: [{ key: 'total', type: 'formula', formula: 'price * 2' }],
        }),
      ),
    ).toBe(true);
  });

  it('answers for a form that evaluates nothing what the formula engine answers', () => {
    const data = {
      name: 'Acme',
      amount: 12.5,
      qty: 3,
      day: '2026-11-23',
      done: true,
      stage: 'b',
      tags: ['x'],
      items: [{ _id: 'r1', product: 'Server', price: 100 }],
    };
    expect(PLAIN_LOGIC.computeRecord(plain, data, ctx)).toEqual(metadata.computeRecord(plain, data, ctx));
    expect(PLAIN_LOGIC.hiddenFields(plain, data, ctx)).toEqual(metadata.hiddenFields(plain, data, ctx));
    expect(PLAIN_LOGIC.defaultValues(plain, ctx)).toEqual(metadata.defaultValues(plain, ctx));
    const items = plain.fields.find((f) => f.key === 'items') as FieldDefinition;
    expect(PLAIN_LOGIC.rowDefaults(items, ctx, data)).toEqual(metadata.rowDefaults(items, ctx, data));
    const customer = plain.fields.find((f) => f.key === 'customer') as FieldDefinition;
    expect(PLAIN_LOGIC.linkageValues(customer, { phone: '1' })).toEqual(
      metadata.linkageValues(customer, { phone: '1' }),
    );
  });
});

describe('a form with formulas before the engine is there', () => {
  beforeEach(() => {
    vi.resetModules();
  });

  it('needs the engine loaded to build its runtime', async () => {
    const { FormRuntime } = await import('./runtime.js');
    const { loadFormLogic } = await import('./logic.js');
    expect(() => new FormRuntime({ entity: orderEntity, services: fakeServices(), initial: {} })).toThrow(
      /loadFormLogic/,
    );
    // A form without formulas runs at once.
    expect(new FormRuntime({ entity: plain, services: fakeServices(), initial: {} }).computed).toEqual({});
    await loadFormLogic();
    expect(
      new FormRuntime({ entity: orderEntity, services: fakeServices(), initial: {} }).isHidden('lossReason'),
    ).toBe(true);
  });

  it('shows that it is loading, then the form with its defaults', async () => {
    const { FormRenderer } = await import('./FormRenderer.js');
    render(
      <FormRenderer entity={orderEntity} locale="en" services={fakeServices()} onSubmit={() => undefined} />,
    );
    expect(document.querySelector('.fw-form[aria-busy="true"]')).not.toBeNull();
    expect(document.querySelector('[data-field="title"]')).toBeNull();
    await waitFor(() => expect(document.querySelector('[data-field="title"]')).not.toBeNull());
    expect(document.querySelector('[aria-busy="true"]')).toBeNull();
    // The defaults were evaluated by the engine: the select's constant default shows.
    expect(screen.getByRole('combobox', { name: 'Status' }).textContent).toContain('Open');
  });
});
