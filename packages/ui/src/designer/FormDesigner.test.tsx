import type { EntityDefinition } from '@formwork/metadata';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FormDesigner } from './FormDesigner.js';
import type { EntityChangeAnalysis } from './types.js';

afterEach(cleanup);

const customer: EntityDefinition = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  fields: [
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' } },
    { key: 'phone', type: 'phone', label: { 'zh-CN': '电话', en: 'Phone' } },
    {
      key: 'grade',
      type: 'select',
      label: { 'zh-CN': '等级', en: 'Grade' },
      options: [{ value: 'A' }, { value: 'B' }],
    },
  ],
};

const safe: EntityChangeAnalysis = { destructive: false, changes: [] };

function canvasKeys(): string[] {
  return Array.from(document.querySelectorAll('[data-canvas-field]')).map(
    (el) => el.getAttribute('data-canvas-field') ?? '',
  );
}

function setup(over: Partial<Parameters<typeof FormDesigner>[0]> = {}) {
  const onSave = vi.fn(async () => undefined);
  const analyse = vi.fn(async () => safe);
  render(
    <FormDesigner
      entity={customer}
      locale="en"
      knownEntities={[customer]}
      analyse={analyse}
      onSave={onSave}
      {...over}
    />,
  );
  return { onSave, analyse };
}

describe('FormDesigner', () => {
  it('shows the palette, the canvas and the properties of the first field', () => {
    setup();
    expect(screen.getByRole('navigation', { name: 'Field types' })).toBeTruthy();
    expect(canvasKeys()).toEqual(['name', 'phone', 'grade']);
    const props = screen.getByRole('complementary', { name: 'Properties' });
    expect((within(props).getByLabelText('Label (English)') as HTMLInputElement).value).toBe('Name');
  });

  it('adds a field from the palette with the keyboard, after the selected field', async () => {
    const user = userEvent.setup();
    setup();
    screen.getByRole('button', { name: 'Add Date' }).focus();
    await user.keyboard('{Enter}');
    expect(canvasKeys()).toEqual(['name', 'date1', 'phone', 'grade']);
    expect(document.querySelector('[data-canvas-field="date1"]')?.getAttribute('aria-selected')).toBe('true');
  });

  it('edits the label, reflects it on the canvas, and undoes it with Ctrl+Z as one step', async () => {
    const user = userEvent.setup();
    setup();
    const input = screen.getByLabelText('Label (English)');
    await user.clear(input);
    await user.type(input, 'Company');
    expect(document.querySelector('[data-canvas-field="name"]')?.textContent).toContain('Company');
    (document.querySelector('[data-canvas-field="name"]') as HTMLElement).focus();
    await user.keyboard('{Control>}z{/Control}');
    expect(document.querySelector('[data-canvas-field="name"]')?.textContent).toContain('Name');
    await user.keyboard('{Control>}y{/Control}');
    expect(document.querySelector('[data-canvas-field="name"]')?.textContent).toContain('Company');
  });

  it('moves a field with Alt+Arrow and removes it with Delete', async () => {
    const user = userEvent.setup();
    setup();
    (document.querySelector('[data-canvas-field="name"]') as HTMLElement).focus();
    await user.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(canvasKeys()).toEqual(['phone', 'name', 'grade']);
    (document.querySelector('[data-canvas-field="grade"]') as HTMLElement).focus();
    await user.keyboard('{Delete}');
    expect(canvasKeys()).toEqual(['phone', 'name']);
  });

  it('shows formula errors instantly and blocks saving until they are fixed', async () => {
    const user = userEvent.setup();
    const { onSave, analyse } = setup();
    await user.click(screen.getByRole('button', { name: 'Add Formula' }));
    const editor = screen.getByLabelText('Formula', { selector: 'textarea' });
    fireEvent.change(editor, { target: { value: 'nope * 2' } });
    await waitFor(() =>
      expect(screen.getAllByText(/it references nope, which is not a field/).length).toBeGreaterThan(0),
    );
    await user.click(screen.getByRole('button', { name: /save/i }));
    expect(screen.getByText('The form has problems: fix them before saving')).toBeTruthy();
    expect(analyse).not.toHaveBeenCalled();
    fireEvent.change(editor, { target: { value: 'LEN(name) * 2' } });
    await waitFor(() => expect(screen.getByText('The formula is valid')).toBeTruthy());
    await user.click(screen.getByRole('button', { name: /save/i }));
    await waitFor(() => expect(analyse).toHaveBeenCalledTimes(1));
    await user.click(await screen.findByRole('button', { name: 'Apply the change' }));
    await waitFor(() =>
      expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ key: 'customer' }), false),
    );
  });

  it('shows a destructive analysis and saves only after explicit confirmation', async () => {
    const user = userEvent.setup();
    const analysis: EntityChangeAnalysis = {
      destructive: true,
      changes: [
        {
          kind: 'removeField',
          field: 'phone',
          classification: 'destructive',
          message: { 'zh-CN': '删除字段 电话', en: 'Field Phone is removed' },
          affectedCount: 42,
        },
      ],
    };
    const { onSave } = setup({ analyse: vi.fn(async () => analysis) });
    (document.querySelector('[data-canvas-field="phone"]') as HTMLElement).focus();
    await user.keyboard('{Delete}');
    await user.click(screen.getByRole('button', { name: /save/i }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('Field Phone is removed')).toBeTruthy();
    expect(within(dialog).getByText('42 records affected')).toBeTruthy();
    expect(within(dialog).getByText('This change loses data. Continue only if you are sure.')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(onSave).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: /save/i }));
    await user.click(await screen.findByRole('button', { name: 'Apply, I understand data will be lost' }));
    await waitFor(() => expect(onSave).toHaveBeenCalledWith(expect.anything(), true));
    expect(screen.getByRole('button', { name: /save/i }).hasAttribute('disabled')).toBe(true);
  });

  it('saves a new form without analysis', async () => {
    const user = userEvent.setup();
    const onSave = vi.fn(async () => undefined);
    const analyse = vi.fn(async () => safe);
    render(
      <FormDesigner
        entity={null}
        locale="zh-CN"
        knownEntities={[customer]}
        analyse={analyse}
        onSave={onSave}
      />,
    );
    await user.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(() =>
      expect(onSave).toHaveBeenCalledWith(expect.objectContaining({ key: 'new_form' }), false),
    );
    expect(analyse).not.toHaveBeenCalled();
  });

  it('builds a show/hide rule with conditions and stores it as a formula', async () => {
    const user = userEvent.setup();
    const { onSave } = setup();
    (document.querySelector('[data-canvas-field="phone"]') as HTMLElement).click();
    await user.click(screen.getByRole('button', { name: /Add condition/ }));
    const valueInput = screen.getByLabelText('Show/hide rule 1 value');
    await user.type(valueInput, 'ACME');
    await user.click(screen.getByRole('button', { name: /save/i }));
    await user.click(await screen.findByRole('button', { name: 'Apply the change' }));
    await waitFor(() => expect(onSave).toHaveBeenCalled());
    const saved = (onSave.mock.calls[0] as unknown as [EntityDefinition])[0];
    expect(saved.fields.find((f) => f.key === 'phone')?.visibleWhen).toBe('name = "ACME"');
  });

  it('previews the form with sample data in the real renderer', async () => {
    const user = userEvent.setup();
    setup();
    await user.click(screen.getByRole('tab', { name: 'Preview' }));
    const preview = await screen.findByTestId('fw-preview');
    await act(async () => undefined);
    expect(within(preview).getByDisplayValue('13800138000')).toBeTruthy();
    expect(preview.querySelector('[data-field="grade"]')).not.toBeNull();
  });

  it('adds a section, and a palette add while it is selected lands in it', async () => {
    const user = userEvent.setup();
    setup();
    await user.click(screen.getByRole('button', { name: /Add section/ }));
    const props = screen.getByRole('complementary', { name: 'Properties' });
    expect(within(props).getByText('Section')).toBeTruthy();
    expect(document.querySelector('[data-section="section1"]')).not.toBeNull();
    // a palette add while the section is selected lands in it
    await user.click(screen.getByRole('button', { name: 'Add E-mail' }));
    const section = document.querySelector('[data-section="section1"]') as HTMLElement;
    expect(section.querySelector('[data-canvas-field="email1"]')).not.toBeNull();
  });

  it('moves the selected field into a section from the property panel (no dragging needed)', async () => {
    const user = userEvent.setup();
    setup();
    await user.click(screen.getByRole('button', { name: /Add section/ }));
    await user.click(document.querySelector('[data-canvas-field="phone"] .fw-canvas-label') as HTMLElement);
    const props = screen.getByRole('complementary', { name: 'Properties' });
    fireEvent.mouseDown(within(props).getByLabelText('Move to section'));
    fireEvent.click(await screen.findByTitle('Section 1'));
    const section = document.querySelector('[data-section="section1"]') as HTMLElement;
    await waitFor(() => expect(section.querySelector('[data-canvas-field="phone"]')).not.toBeNull());
    expect(canvasKeys()).toEqual(['name', 'grade', 'phone']);
  });
});
