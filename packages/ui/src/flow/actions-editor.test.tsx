import type { EntityDefinition } from '@formwork/metadata';
import type { AutomationAction } from '@formwork/workflow';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import i18next from 'i18next';
import { useState } from 'react';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { viewsResources } from '../views/i18n.js';
import { ActionsEditor } from './actions-editor.js';
import { FlowEditorsProvider } from './editors.js';
import { flowResources } from './i18n.js';

afterEach(cleanup);

const lead: EntityDefinition = {
  key: 'lead',
  label: { 'zh-CN': '线索', en: 'Lead' },
  fields: [
    { key: 'title', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } },
    { key: 'phone', type: 'phone', label: { 'zh-CN': '电话', en: 'Phone' } },
    {
      key: 'region',
      type: 'select',
      label: { 'zh-CN': '区域', en: 'Region' },
      options: [
        { value: 'east', label: { 'zh-CN': '华东', en: 'East' } },
        { value: 'west', label: { 'zh-CN': '华西', en: 'West' } },
      ],
    },
  ],
};
const contact: EntityDefinition = {
  key: 'contact',
  label: { 'zh-CN': '联系人', en: 'Contact' },
  fields: [
    { key: 'fullName', type: 'text', label: { 'zh-CN': '姓名', en: 'Full name' } },
    { key: 'phone', type: 'phone', label: { 'zh-CN': '电话', en: 'Phone' } },
  ],
};
const dir = {
  members: [
    { id: 'u-li', name: '李雷' },
    { id: 'u-han', name: '韩梅梅' },
  ],
  roles: [{ id: 'sales', name: 'Sales' }],
  flows: [{ id: 'lead.review', name: 'Lead review' }],
};

/** The editor over a value it keeps, handing every new value to `onValue`. */
function Harness(props: {
  initial: AutomationAction[];
  kind: 'flow' | 'automation';
  locale: 'zh-CN' | 'en';
  onValue(v: AutomationAction[]): void;
}) {
  const [value, setValue] = useState(props.initial);
  return (
    <FlowEditorsProvider entity={lead} entities={[lead, contact]} locale={props.locale} dir={dir}>
      <ActionsEditor
        for={props.kind}
        value={value}
        onChange={(v) => {
          props.onValue(v);
          setValue(v);
        }}
      />
    </FlowEditorsProvider>
  );
}

/** `last()`: the last value the editor handed back. */
function setup(initial: AutomationAction[], kind: 'flow' | 'automation', locale: 'zh-CN' | 'en' = 'en') {
  const changes: AutomationAction[][] = [];
  const i18n = i18next.createInstance();
  void i18n.use(initReactI18next).init({
    lng: locale,
    resources: JSON.parse(
      JSON.stringify({
        'zh-CN': { ...viewsResources['zh-CN'], ...flowResources['zh-CN'] },
        en: { ...viewsResources.en, ...flowResources.en },
      }),
    ),
    ns: ['flow', 'views'],
    defaultNS: 'flow',
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  const view = render(
    <I18nextProvider i18n={i18n}>
      <Harness initial={initial} kind={kind} locale={locale} onValue={(v) => changes.push(v)} />
    </I18nextProvider>,
  );
  return { view, last: () => changes[changes.length - 1] };
}

/** Opens a select and clicks the option titled `label` in the dropdown it opened. */
async function pick(box: HTMLElement, label: string) {
  fireEvent.mouseDown(box);
  const options = await screen.findAllByTitle(label);
  fireEvent.click(options[options.length - 1] as HTMLElement);
}

const typeBox = () => screen.getAllByRole('combobox', { name: 'Actions' })[0] as HTMLElement;

describe('ActionsEditor', () => {
  it('offers a flow its three kinds of action and an automation all seven', async () => {
    setup([{ type: 'updateRecord', set: {} }], 'flow');
    const offered = () => [...document.querySelectorAll('.ant-select-item-option')].map((o) => o.textContent);
    fireEvent.mouseDown(typeBox());
    await screen.findAllByTitle('Call a webhook');
    expect(offered()).toEqual(['Update the record', 'Send a notification', 'Call a webhook']);
    cleanup();
    setup([{ type: 'updateRecord', set: {} }], 'automation');
    fireEvent.mouseDown(typeBox());
    await screen.findAllByTitle('Start a flow');
    expect(offered()).toHaveLength(7);
  });

  it('creates a record in another entity: its fields are set from this record’s fields', async () => {
    const { last } = setup([{ type: 'updateRecord', set: {} }], 'automation');
    await pick(typeBox(), 'Create a record in another entity');
    // The first other entity is the target; its fields are the ones to set.
    expect(last()).toEqual([{ type: 'createRecord', entity: 'contact', set: {} }]);
    fireEvent.click(screen.getByRole('button', { name: /Add field/ }));
    expect(last()).toEqual([{ type: 'createRecord', entity: 'contact', set: { fullName: { value: '' } } }]);
    await pick(screen.getByRole('combobox', { name: 'Value' }), 'Copy field');
    await pick(screen.getByRole('combobox', { name: 'Copy field' }), 'Name');
    expect(last()).toEqual([
      { type: 'createRecord', entity: 'contact', set: { fullName: { field: 'title' } } },
    ]);
    expect(screen.getByText('Formulas and “Copy field” read this entity’s record')).toBeTruthy();
  });

  it('upserts by match fields, each of them set from the same field of this record', async () => {
    const { last } = setup([{ type: 'upsertRecord', entity: 'contact', match: [], set: {} }], 'automation');
    await pick(screen.getByRole('combobox', { name: 'Find an existing record by these fields' }), 'Phone');
    expect(last()).toEqual([
      { type: 'upsertRecord', entity: 'contact', match: ['phone'], set: { phone: { field: 'phone' } } },
    ]);
    // Another target starts over: its fields are not the old one's.
    await pick(screen.getByRole('combobox', { name: 'Target entity' }), 'Lead');
    expect(last()).toEqual([{ type: 'upsertRecord', entity: 'lead', match: [], set: {} }]);
  });

  it('assigns the owner by a select field: a row per option, and a fallback for other values', async () => {
    const { last } = setup([{ type: 'assignOwner', strategy: 'roundRobin', members: [] }], 'automation');
    await pick(screen.getByRole('combobox', { name: 'Assign by' }), 'A field’s value');
    expect(last()).toEqual([{ type: 'assignOwner', strategy: 'byField', field: 'region', map: {} }]);
    const map = screen.getByTestId('owner-map');
    expect(
      within(map)
        .getAllByRole('textbox')
        .map((x) => (x as HTMLInputElement).value),
    ).toEqual(['East', 'West']);
    const [east] = within(map).getAllByRole('combobox', { name: 'Assign to' });
    await pick(east as HTMLElement, '李雷');
    await pick(screen.getByRole('combobox', { name: 'Any other value goes to' }), '韩梅梅');
    expect(last()).toEqual([
      {
        type: 'assignOwner',
        strategy: 'byField',
        field: 'region',
        map: { east: ['u-li'] },
        fallback: ['u-han'],
      },
    ]);
  });

  it('assigns the owner round robin among the members of a role', async () => {
    const { last } = setup(
      [{ type: 'assignOwner', strategy: 'roundRobin', members: ['u-li'] }],
      'automation',
    );
    fireEvent.click(screen.getByRole('radio', { name: 'Members of a role' }));
    expect(last()).toEqual([{ type: 'assignOwner', strategy: 'roundRobin', role: 'sales' }]);
    fireEvent.click(screen.getByRole('radio', { name: 'These members' }));
    await pick(screen.getByRole('combobox', { name: 'Members' }), '韩梅梅');
    expect(last()).toEqual([{ type: 'assignOwner', strategy: 'roundRobin', members: ['u-han'] }]);
  });

  it('starts a chosen flow', async () => {
    const { last } = setup([{ type: 'updateRecord', set: {} }], 'automation');
    await pick(typeBox(), 'Start a flow');
    expect(last()).toEqual([{ type: 'startFlow', flow: 'lead.review' }]);
  });

  it('e-mails other addresses from an automation, never from a flow node', async () => {
    const notify: AutomationAction = {
      type: 'notify',
      to: [{ type: 'submitter' }],
      channels: ['inApp', 'email'],
      title: { 'zh-CN': '新线索', en: 'New lead' },
    };
    setup([notify], 'flow');
    expect(screen.queryByRole('combobox', { name: 'Other e-mail addresses' })).toBeNull();
    cleanup();
    const { last } = setup([notify], 'automation');
    const emails = screen.getByRole('combobox', { name: 'Other e-mail addresses' });
    fireEvent.change(emails, { target: { value: 'boss@example.com' } });
    fireEvent.keyDown(emails, { key: 'Enter', code: 'Enter', keyCode: 13 });
    expect(last()).toEqual([{ ...notify, emails: ['boss@example.com'] }]);
  });

  it('speaks Chinese', () => {
    setup([{ type: 'assignOwner', strategy: 'leastOpen', members: [] }], 'automation', 'zh-CN');
    expect(screen.getByText('分给负责记录最少的人')).toBeTruthy();
    expect(screen.getByRole('radio', { name: '角色的成员' })).toBeTruthy();
  });
});
