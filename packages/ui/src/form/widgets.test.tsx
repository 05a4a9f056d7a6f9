import type { EntityDefinition, FieldDefinition } from '@formwork/metadata';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEPT_ID, fakeServices, USER_ID } from '../test/fixtures.js';
import { loadSelect } from '../views/deferred-select.js';
import { FormRenderer } from './FormRenderer.js';
import { loadFormLogic } from './logic.js';
import { sanitizeHtml } from './sanitize.js';
import type { FormServices } from './types.js';
import { formatAmount, groupThousands } from './widgets/common.js';
import { fromLocalInput, toLocalInput } from './widgets/date.js';
import { acceptsType } from './widgets/files.js';
import { displayText, recordLabel } from './widgets/relation.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** Render a one-field form; `submit()` clicks Submit and returns what onSubmit got. */
function one(
  field: FieldDefinition,
  opts: { value?: unknown; services?: FormServices; locale?: 'zh-CN' | 'en' } = {},
) {
  const entity: EntityDefinition = { key: 'w', fields: [field] };
  const onSubmit = vi.fn();
  const services = opts.services ?? fakeServices();
  render(
    <FormRenderer
      entity={entity}
      locale={opts.locale ?? 'en'}
      services={services}
      mode="create"
      value={opts.value === undefined ? {} : { [field.key]: opts.value }}
      onSubmit={onSubmit}
    />,
  );
  const root = document.querySelector(`[data-field="${field.key}"]`) as HTMLElement;
  return {
    root,
    services,
    submit: async (): Promise<Record<string, unknown>> => {
      fireEvent.click(screen.getByRole('button', { name: /submit|提\s*交/i }));
      await waitFor(() => expect(onSubmit).toHaveBeenCalled());
      const v = onSubmit.mock.calls.at(-1)?.[0] as Record<string, unknown>;
      onSubmit.mockClear();
      return v;
    },
  };
}

// antd's Select and the formula engine are chunks of their own; here they are there from the start, as once
// a user has started filling in a form (deferred-select.test.tsx covers a select reached before that).
beforeAll(() => Promise.all([loadSelect(), loadFormLogic()]));

describe('helpers', () => {
  it('groups thousands and formats amounts with fixed decimals', () => {
    expect(groupThousands('1234567.891')).toBe('1,234,567.891');
    expect(groupThousands('-1000')).toBe('-1,000');
    expect(formatAmount(1234.5)).toBe('1,234.50');
    expect(formatAmount(Number.NaN)).toBe('');
  });

  it('converts datetime-local text to UTC and back in the browser time zone', () => {
    const iso = fromLocalInput('2026-11-23T10:05');
    expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\.000Z$/);
    expect(toLocalInput(iso)).toBe('2026-11-23T10:05');
    expect(fromLocalInput('')).toBeUndefined();
    expect(toLocalInput('not a date')).toBe('');
  });

  it('matches file types against accept lists, wildcards included', () => {
    expect(acceptsType('image/png', ['image/*'], false)).toBe(true);
    expect(acceptsType('application/pdf', ['image/*'], false)).toBe(false);
    expect(acceptsType('application/pdf', undefined, true)).toBe(false);
    expect(acceptsType('application/pdf', ['application/pdf'], false)).toBe(true);
  });

  it('keeps only safe formatting in rich text', () => {
    const html = sanitizeHtml(
      '<p onclick="x()">Hi <b>there</b><script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">bad</a><a href="https://ok.example">ok</a></p>',
    );
    expect(html).toBe(
      '<p>Hi <b>there</b><a>bad</a><a href="https://ok.example" target="_blank" rel="noopener noreferrer">ok</a></p>',
    );
  });

  it('labels records and values for display', () => {
    expect(recordLabel({ id: 'x', phone: '1', name: 'ACME' })).toBe('ACME');
    expect(recordLabel({ id: '0b7c2f9e-5d1a-4c3b-9a8e-1f2d3c4b5a60', city: 'Shanghai' })).toBe('Shanghai');
    expect(displayText([1000, 'a'])).toBe('1,000, a');
    expect(displayText({ lat: 1, lng: 2, address: 'Here' })).toBe('Here');
  });
});

describe('widgets', () => {
  it('text: types a value and clears to empty', async () => {
    const user = userEvent.setup();
    const w = one({ key: 'name', type: 'text', maxLength: 5 });
    const input = within(w.root).getByRole('textbox') as HTMLInputElement;
    expect(input.maxLength).toBe(5);
    await user.type(input, 'Hello');
    expect((await w.submit()).name).toBe('Hello');
    await user.clear(input);
    expect((await w.submit()).name).toBeUndefined();
  });

  it('longText: a growing textarea keeps line breaks', async () => {
    const user = userEvent.setup();
    const w = one({ key: 'notes', type: 'longText' });
    const area = within(w.root).getByRole('textbox');
    expect(area.tagName).toBe('TEXTAREA');
    await user.type(area, 'a{Enter}b');
    expect((await w.submit()).notes).toBe('a\nb');
  });

  it('richText: stores sanitised HTML from the editor', async () => {
    const w = one({ key: 'body', type: 'richText' }, { value: '<b>Bold</b><script>x</script>' });
    const editor = within(w.root).getByRole('textbox');
    expect(editor.innerHTML).toBe('<b>Bold</b>');
    editor.innerHTML = '<i>new</i><img src=x onerror=alert(1)>';
    fireEvent.input(editor);
    expect((await w.submit()).body).toBe('<i>new</i>');
  });

  it('phone, email and url use the matching input types; url links only to http(s)', () => {
    one({ key: 'p', type: 'phone' });
    one({ key: 'e', type: 'email' });
    one({ key: 'u', type: 'url' }, { value: 'https://example.com' });
    expect((document.querySelector('[data-field="p"] input') as HTMLInputElement).type).toBe('tel');
    expect((document.querySelector('[data-field="e"] input') as HTMLInputElement).type).toBe('email');
    const link = document.querySelector('[data-field="u"] a') as HTMLAnchorElement;
    expect(link.href).toBe('https://example.com/');
    expect(link.rel).toBe('noopener noreferrer');
    cleanup();
    one({ key: 'u', type: 'url' }, { value: 'javascript:alert(1)' });
    expect(document.querySelector('[data-field="u"] a')).toBeNull();
  });

  it('number: accepts decimals and respects precision', async () => {
    const user = userEvent.setup();
    const w = one({ key: 'n', type: 'number', precision: 1 });
    const input = within(w.root).getByRole('spinbutton');
    await user.type(input, '12.34');
    fireEvent.blur(input);
    expect((await w.submit()).n).toBe(12.3);
  });

  it('amount: shows thousands separators and the currency, stores a number', async () => {
    const user = userEvent.setup();
    const w = one({ key: 'a', type: 'amount', currency: 'CNY' }, { value: 1234567.5 });
    const input = within(w.root).getByRole('spinbutton') as HTMLInputElement;
    expect(input.value).toBe('1,234,567.50');
    expect(w.root.textContent).toContain('¥');
    await user.clear(input);
    await user.type(input, '2,000');
    fireEvent.blur(input);
    expect((await w.submit()).a).toBe(2000);
  });

  it('percent: shows a % suffix and stores 12.5 for 12.5 %', async () => {
    const user = userEvent.setup();
    const w = one({ key: 'p', type: 'percent' });
    expect(w.root.textContent).toContain('%');
    await user.type(within(w.root).getByRole('spinbutton'), '12.5');
    expect((await w.submit()).p).toBe(12.5);
  });

  it('number: the arrow keys step by one, and leaving the box brings a typed value within min and max', async () => {
    const user = userEvent.setup();
    const w = one({ key: 'n', type: 'number', min: 0, max: 10 }, { value: 9 });
    const input = within(w.root).getByRole('spinbutton') as HTMLInputElement;
    expect(input.getAttribute('aria-valuenow')).toBe('9');
    input.focus();
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(input.value).toBe('10');
    await user.keyboard('{ArrowDown}');
    expect((await w.submit()).n).toBe(9);
    await user.clear(input);
    await user.type(input, '25');
    // While typing, a number out of range is not the value; leaving the box brings it within.
    expect((await w.submit()).n).toBe(2);
    fireEvent.blur(input);
    expect(input.value).toBe('10');
    expect((await w.submit()).n).toBe(10);
  });

  it('number: text that is no number is not stored, and leaving the box shows the value again', async () => {
    const user = userEvent.setup();
    const w = one({ key: 'a', type: 'amount' }, { value: 1500 });
    const input = within(w.root).getByRole('spinbutton') as HTMLInputElement;
    expect(input.value).toBe('1,500.00');
    await user.type(input, 'x');
    expect((await w.submit()).a).toBe(1500);
    fireEvent.blur(input);
    expect(input.value).toBe('1,500.00');
    await user.clear(input);
    fireEvent.blur(input);
    expect((await w.submit()).a).toBeUndefined();
  });

  it('draws text, number, date and yes/no fields with native controls, not antd components', () => {
    const entity: EntityDefinition = {
      key: 'w',
      fields: [
        { key: 't', type: 'text' },
        { key: 'n', type: 'number' },
        { key: 'a', type: 'amount' },
        { key: 'd', type: 'date' },
        { key: 'b', type: 'boolean' },
        { key: 'l', type: 'longText' },
      ],
    };
    render(
      <FormRenderer entity={entity} locale="en" services={fakeServices()} mode="create" onSubmit={vi.fn()} />,
    );
    const form = document.querySelector('.fw-form') as HTMLElement;
    expect(
      form.querySelector('.ant-input, .ant-input-number, .ant-switch, .ant-input-affix-wrapper'),
    ).toBeNull();
    expect(form.querySelectorAll('.fw-input')).toHaveLength(5);
    // Each control is named by its field's label.
    for (const name of ['t', 'n', 'a', 'd', 'l']) expect(screen.getByLabelText(name)).toBeTruthy();
  });

  it('date: a native date input storing YYYY-MM-DD', async () => {
    const w = one({ key: 'd', type: 'date' });
    const input = w.root.querySelector('input') as HTMLInputElement;
    expect(input.type).toBe('date');
    fireEvent.change(input, { target: { value: '2026-12-01' } });
    expect((await w.submit()).d).toBe('2026-12-01');
  });

  it('datetime: a native datetime-local input storing a UTC instant', async () => {
    const w = one({ key: 'at', type: 'datetime' });
    const input = w.root.querySelector('input') as HTMLInputElement;
    expect(input.type).toBe('datetime-local');
    fireEvent.change(input, { target: { value: '2026-12-01T09:30' } });
    expect((await w.submit()).at).toBe(new Date('2026-12-01T09:30').toISOString());
  });

  it('select: options in the user language with their colours', async () => {
    const w = one(
      {
        key: 's',
        type: 'select',
        options: [
          { value: 'hot', label: { 'zh-CN': '热', en: 'Hot' }, color: '#ff0000' },
          { value: 'cold', label: { 'zh-CN': '冷', en: 'Cold' } },
        ],
      },
      { locale: 'zh-CN' },
    );
    fireEvent.mouseDown(within(w.root).getByRole('combobox'));
    const hot = await screen.findByTitle('热');
    expect(hot.querySelector('.fw-dot')?.getAttribute('style')).toContain('#ff0000');
    fireEvent.click(hot);
    expect((await w.submit()).s).toBe('hot');
    expect(w.root.querySelector('.ant-tag')?.textContent).toBe('热');
  });

  it('multiSelect: several choices shown as coloured tags', async () => {
    const w = one(
      {
        key: 'm',
        type: 'multiSelect',
        options: [
          { value: 'a', label: 'Alpha', color: 'green' },
          { value: 'b', label: 'Beta' },
        ],
      },
      { value: ['a'] },
    );
    expect(w.root.querySelector('.ant-tag')?.textContent).toBe('Alpha');
    fireEvent.mouseDown(within(w.root).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('Beta'));
    expect((await w.submit()).m).toEqual(['a', 'b']);
  });

  it('boolean: a switch with the word beside it', async () => {
    const user = userEvent.setup();
    const w = one({ key: 'ok', type: 'boolean' }, { locale: 'zh-CN' });
    expect(w.root.textContent).toContain('否');
    const sw = within(w.root).getByRole('switch');
    await user.click(sw);
    expect(w.root.textContent).toContain('是');
    expect(sw.getAttribute('aria-checked')).toBe('true');
    expect((await w.submit()).ok).toBe(true);
    // The keyboard turns it back.
    sw.focus();
    await user.keyboard(' ');
    expect(sw.getAttribute('aria-checked')).toBe('false');
    expect((await w.submit()).ok).toBe(false);
  });

  it('tags: Enter adds a tag, duplicates are merged', async () => {
    const user = userEvent.setup();
    const w = one({ key: 'tags', type: 'tags' });
    // Drawn light until used: the press turns it into antd's Select, focused, to type into.
    await user.click(within(w.root).getByRole('combobox'));
    const input = within(w.root).getByRole('combobox');
    expect(input.tagName).toBe('INPUT');
    await user.type(input, 'VIP{Enter}');
    await user.type(input, 'VIP{Enter}');
    await user.type(input, 'new{Enter}');
    expect((await w.submit()).tags).toEqual(['VIP', 'new']);
  });

  it('member: searches members and stores the id, showing the name', async () => {
    const w = one({ key: 'who', type: 'member' }, { locale: 'zh-CN' });
    fireEvent.mouseDown(within(w.root).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('张三'));
    expect((await w.submit()).who).toBe(USER_ID);
  });

  it('department: searches departments and stores the id', async () => {
    const w = one({ key: 'dept', type: 'department' }, { locale: 'zh-CN' });
    fireEvent.mouseDown(within(w.root).getByRole('combobox'));
    fireEvent.click(await screen.findByTitle('销售部'));
    expect((await w.submit()).dept).toBe(DEPT_ID);
  });

  it('member: labels a stored id with the name from the service', async () => {
    const w = one({ key: 'who', type: 'member' }, { value: USER_ID });
    await waitFor(() => expect(w.root.textContent).toContain('张三'));
  });

  it('autoNumber: read-only, says it is assigned when saved, shows the stored number', () => {
    one({ key: 'no', type: 'autoNumber', pattern: 'HT-{0000}' });
    expect(document.querySelector('[data-field="no"]')?.textContent).toContain('Assigned when saved');
    cleanup();
    one({ key: 'no', type: 'autoNumber', pattern: 'HT-{0000}' }, { value: 'HT-0007' });
    expect(document.querySelector('[data-field="no"] output')?.textContent).toBe('HT-0007');
  });

  it('rating: tapping a star sets the score', async () => {
    const w = one({ key: 'score', type: 'rating', max: 5 });
    const stars = w.root.querySelectorAll('li.ant-rate-star > div');
    expect(stars.length).toBe(5);
    fireEvent.click(stars[3] as Element);
    await waitFor(() => expect(w.root.textContent).toContain('4 of 5'));
    expect((await w.submit()).score).toBe(4);
  });

  it('attachment: uploads through the service and refuses files too large or of the wrong type', async () => {
    const w = one({ key: 'files', type: 'attachment', maxSize: 10, accept: ['application/pdf', 'image/*'] });
    const input = w.root.querySelector('input[type="file"]') as HTMLInputElement;
    const ok = new File(['12345'], 'a.pdf', { type: 'application/pdf' });
    const big = new File(['12345678901'], 'big.pdf', { type: 'application/pdf' });
    const exe = new File(['1'], 'x.exe', { type: 'application/x-msdownload' });
    await act(async () => {
      fireEvent.change(input, { target: { files: [ok, big, exe] } });
    });
    await waitFor(() => expect(w.root.textContent).toContain('a.pdf'));
    expect(within(w.root).getByRole('alert').textContent).toContain('big.pdf is larger than 10 B');
    expect(within(w.root).getByRole('alert').textContent).toContain('x.exe is not an accepted file type');
    expect((w.services as ReturnType<typeof fakeServices>).calls.uploads.length).toBe(1);
    expect((await w.submit()).files).toEqual([
      { id: 'f1', name: 'a.pdf', size: 5, type: 'application/pdf', url: '/files/f1' },
    ]);
    fireEvent.click(within(w.root).getByRole('button', { name: /remove a.pdf/i }));
    expect((await w.submit()).files).toBeUndefined();
  });

  it('image: camera capture, images only, thumbnails', async () => {
    const w = one({ key: 'photos', type: 'image' });
    const input = w.root.querySelector('input[type="file"]') as HTMLInputElement;
    expect(input.getAttribute('capture')).toBe('environment');
    expect(input.accept).toBe('image/*');
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(['x'], 'p.png', { type: 'image/png' })] } });
    });
    await waitFor(() => expect(w.root.querySelector('img')?.getAttribute('src')).toBe('/files/f1'));
  });

  it('location: captures the browser position and the address', async () => {
    const getCurrentPosition = vi.fn((ok: PositionCallback) =>
      ok({ coords: { latitude: 31.2304161, longitude: 121.4737012 } } as GeolocationPosition),
    );
    vi.stubGlobal('navigator', { ...navigator, geolocation: { getCurrentPosition } });
    const services = fakeServices({ reverseGeocode: async () => '上海市黄浦区人民大道' });
    const w = one({ key: 'where', type: 'location' }, { services });
    fireEvent.click(within(w.root).getByRole('button', { name: /use my location/i }));
    await waitFor(() =>
      expect((within(w.root).getByLabelText('Address') as HTMLInputElement).value).toBe(
        '上海市黄浦区人民大道',
      ),
    );
    expect(w.root.textContent).toContain('31.230416, 121.473701');
    expect((await w.submit()).where).toEqual({
      lat: 31.230416,
      lng: 121.473701,
      address: '上海市黄浦区人民大道',
    });
  });

  it('location: explains a refused permission', async () => {
    vi.stubGlobal('navigator', {
      ...navigator,
      geolocation: {
        getCurrentPosition: (_ok: PositionCallback, err: PositionErrorCallback) =>
          err({ code: 1, message: 'denied' } as GeolocationPositionError),
      },
    });
    const w = one({ key: 'where', type: 'location' });
    fireEvent.click(within(w.root).getByRole('button', { name: /use my location/i }));
    expect((await within(w.root).findByRole('alert')).textContent).toBe('Location is not available: denied');
  });

  it('signature: drawn on a canvas, uploaded as a PNG, stored as the file id', async () => {
    const ctx2d = {
      beginPath: vi.fn(),
      moveTo: vi.fn(),
      lineTo: vi.fn(),
      stroke: vi.fn(),
      clearRect: vi.fn(),
    };
    const proto = HTMLCanvasElement.prototype as unknown as Record<string, unknown>;
    const saved = { getContext: proto.getContext, toBlob: proto.toBlob };
    proto.getContext = () => ctx2d;
    proto.toBlob = (cb: BlobCallback) => {
      cb(new Blob(['png'], { type: 'image/png' }));
    };
    try {
      const w = one({ key: 'sign', type: 'signature' });
      const save = within(w.root).getByRole('button', { name: /save signature/i });
      expect(save.hasAttribute('disabled')).toBe(true);
      const pad = w.root.querySelector('canvas') as HTMLCanvasElement;
      fireEvent.pointerDown(pad, { clientX: 10, clientY: 10, pointerId: 1 });
      fireEvent.pointerMove(pad, { clientX: 50, clientY: 40, pointerId: 1 });
      fireEvent.pointerUp(pad, { pointerId: 1 });
      expect(ctx2d.lineTo).toHaveBeenCalled();
      fireEvent.click(within(w.root).getByRole('button', { name: /save signature/i }));
      await waitFor(() => expect(w.root.querySelector('img')?.getAttribute('src')).toBe('/files/f1'));
      const uploads = (w.services as ReturnType<typeof fakeServices>).calls.uploads;
      expect(uploads[0]?.type).toBe('image/png');
      expect((await w.submit()).sign).toBe('f1');
    } finally {
      proto.getContext = saved.getContext;
      proto.toBlob = saved.toBlob;
    }
  });

  it('subform: adds, reorders and removes rows', async () => {
    const user = userEvent.setup();
    const w = one({
      key: 'lines',
      type: 'subform',
      fields: [{ key: 'item', type: 'text', label: 'Item' }],
    });
    const addRow = () => user.click(within(w.root).getByRole('button', { name: /add row/i }));
    await addRow();
    await addRow();
    const inputs = () => Array.from(w.root.querySelectorAll('tbody input')) as HTMLInputElement[];
    await user.type(inputs()[0] as HTMLInputElement, 'first');
    await user.type(inputs()[1] as HTMLInputElement, 'second');
    await user.click(within(w.root).getByRole('button', { name: 'Move row 2 up' }));
    expect(inputs().map((i) => i.value)).toEqual(['second', 'first']);
    await user.click(within(w.root).getByRole('button', { name: 'Remove row 1' }));
    const v = await w.submit();
    expect((v.lines as Record<string, unknown>[]).map((r) => r.item)).toEqual(['first']);
  });
});
