import type { CSSProperties } from 'react';

type Token = { [key: string]: unknown };
const px = (n: unknown) => `${typeof n === 'number' ? n : 0}px`;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The antd theme values the form's own controls use (inputs, number boxes, switches and the lite select), as
 * CSS variables on the form: the same sizes and colours as antd's controls in the current theme and component
 * size.
 */
export function formThemeVars(token: Token, size: string | undefined): CSSProperties {
  const large = size === 'large';
  const small = size === 'small';
  return {
    '--fw-ctl-h': px(large ? token.controlHeightLG : small ? token.controlHeightSM : token.controlHeight),
    '--fw-ctl-radius': px(large ? token.borderRadiusLG : small ? token.borderRadiusSM : token.borderRadius),
    '--fw-ctl-font': px(large ? token.fontSizeLG : token.fontSize),
    '--fw-ctl-pad': px(Number(token.paddingSM) - Number(token.lineWidth)),
    '--fw-ctl-border': str(token.colorBorder),
    '--fw-ctl-border-hover': str(token.colorPrimaryHover),
    '--fw-ctl-bg': str(token.colorBgContainer),
    '--fw-ctl-bg-disabled': str(token.colorBgContainerDisabled),
    '--fw-ctl-text': str(token.colorText),
    '--fw-ctl-text-disabled': str(token.colorTextDisabled),
    '--fw-ctl-arrow': str(token.colorTextQuaternary),
    '--fw-ctl-placeholder': str(token.colorTextPlaceholder),
    '--fw-ctl-primary': str(token.colorPrimary),
    '--fw-ctl-outline': str(token.controlOutline),
    '--fw-ctl-error': str(token.colorError),
    '--fw-switch-off': str(token.colorTextQuaternary),
    '--fw-switch-off-hover': str(token.colorTextTertiary),
  } as CSSProperties;
}

/**
 * The form's CSS (injected once by FormRenderer): grid sections, one column under 600 px, touch sizes, and the
 * form's own controls drawn like antd's (`fw-input`, `fw-affix`, `fw-switch-btn`, `fw-lite-select`).
 *
 * A field is `content-visibility: auto`: the fields out of view keep their elements (labels, keyboard, search
 * in the page and screen readers reach them) but are not styled, laid out or painted until they come near the
 * view — a keystroke's frame and the first layout of a long form deal with the fields in view only. The
 * padding (and the negative margin that takes it back) keeps a focused control's outline inside the field,
 * which clips what it paints.
 */
export const FORM_CSS = `
.fw-form { --fw-gap: 16px; }
.fw-form .fw-grid { display: grid; grid-template-columns: repeat(var(--fw-cols, 1), minmax(0, 1fr)); gap: 4px var(--fw-gap); }
.fw-form .fw-field { min-width: 0; margin: -3px -3px 9px; padding: 3px; content-visibility: auto; contain-intrinsic-size: auto 62px; }
.fw-form .fw-field.fw-span-full { grid-column: 1 / -1; }
.fw-form .fw-label { display: block; font-weight: 500; margin-bottom: 4px; }
.fw-form .fw-required { color: #cf1322; }
.fw-form .fw-error { color: #cf1322; font-size: 13px; margin-top: 4px; }
.fw-form .fw-help { color: rgba(0,0,0,.55); font-size: 13px; margin-top: 4px; }
.fw-form .fw-muted { color: rgba(0,0,0,.45); }
.fw-form .fw-field-invalid .ant-input, .fw-form .fw-field-invalid .ant-select-selector, .fw-form .fw-field-invalid .ant-input-number { border-color: #ff4d4f; }
.fw-form .fw-input { box-sizing: border-box; display: block; width: 100%; min-width: 0; height: var(--fw-ctl-h, 32px); margin: 0; padding: 0 var(--fw-ctl-pad, 11px); border: 1px solid var(--fw-ctl-border, #d9d9d9); border-radius: var(--fw-ctl-radius, 6px); background: var(--fw-ctl-bg, #fff); color: var(--fw-ctl-text, rgba(0,0,0,.88)); font: inherit; font-size: var(--fw-ctl-font, 14px); line-height: 1.5715; outline: 0; transition: border-color .2s, box-shadow .2s; }
.fw-form .fw-input:hover { border-color: var(--fw-ctl-border-hover, #4096ff); }
.fw-form .fw-input:focus, .fw-form .fw-input:focus-within { border-color: var(--fw-ctl-primary, #1677ff); box-shadow: 0 0 0 2px var(--fw-ctl-outline, rgba(5,145,255,.1)); }
.fw-form .fw-input::placeholder, .fw-form .fw-affix input::placeholder { color: var(--fw-ctl-placeholder, rgba(0,0,0,.25)); }
.fw-form .fw-input:disabled, .fw-form .fw-input.fw-input-disabled { background: var(--fw-ctl-bg-disabled, rgba(0,0,0,.04)); color: var(--fw-ctl-text-disabled, rgba(0,0,0,.25)); border-color: var(--fw-ctl-border, #d9d9d9); box-shadow: none; cursor: not-allowed; }
.fw-form input.fw-input, .fw-form .fw-affix { contain: size layout style; }
.fw-form textarea.fw-input { height: auto; padding: 4px var(--fw-ctl-pad, 11px); resize: vertical; }
.fw-form input.fw-input[type="date"], .fw-form input.fw-input[type="datetime-local"] { padding-block: 0; }
.fw-form .fw-affix { display: flex; align-items: center; gap: 4px; cursor: text; }
.fw-form .fw-affix > input { flex: 1; min-width: 0; height: 100%; margin: 0; padding: 0; border: 0; outline: 0; background: transparent; color: inherit; font: inherit; }
.fw-form .fw-affix > input:disabled { cursor: not-allowed; }
.fw-form .fw-affix-text { flex: none; white-space: nowrap; }
.fw-form .fw-field-invalid .fw-input { border-color: var(--fw-ctl-error, #ff4d4f); }
.fw-form .fw-switch-btn { position: relative; box-sizing: border-box; flex: none; min-width: 44px; height: 22px; margin: 0; padding: 0; border: 0; border-radius: 100px; background: var(--fw-switch-off, rgba(0,0,0,.25)); cursor: pointer; transition: background .2s; vertical-align: middle; }
.fw-form .fw-switch-btn:hover { background: var(--fw-switch-off-hover, rgba(0,0,0,.45)); }
.fw-form .fw-switch-btn[aria-checked="true"] { background: var(--fw-ctl-primary, #1677ff); }
.fw-form .fw-switch-btn[aria-checked="true"]:hover { background: var(--fw-ctl-border-hover, #4096ff); }
.fw-form .fw-switch-btn:focus-visible { outline: 4px solid var(--fw-ctl-outline, rgba(5,145,255,.1)); outline-offset: 1px; }
.fw-form .fw-switch-btn:disabled { opacity: .65; cursor: not-allowed; }
.fw-form .fw-switch-btn::after { content: ""; position: absolute; top: 2px; inset-inline-start: 2px; width: 18px; height: 18px; border-radius: 50%; background: #fff; box-shadow: 0 2px 4px rgba(0,35,11,.2); transition: inset-inline-start .2s; }
.fw-form .fw-switch-btn[aria-checked="true"]::after { inset-inline-start: calc(100% - 20px); }
.fw-form textarea.fw-autosize { field-sizing: content; min-height: calc(3lh + 10px); max-height: calc(12lh + 10px); }
.fw-form .fw-lite-select { box-sizing: border-box; display: flex; align-items: center; gap: 4px; width: 100%; min-height: var(--fw-ctl-h, 32px); padding: 0 var(--fw-ctl-pad, 11px); border: 1px solid var(--fw-ctl-border, #d9d9d9); border-radius: var(--fw-ctl-radius, 6px); background: var(--fw-ctl-bg, #fff); color: var(--fw-ctl-text, rgba(0,0,0,.88)); font-size: var(--fw-ctl-font, 14px); cursor: pointer; transition: border-color .2s; }
.fw-form .fw-lite-select:hover { border-color: var(--fw-ctl-border-hover, #4096ff); }
.fw-form .fw-lite-select-value { flex: 1; min-width: 0; overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
.fw-form .fw-lite-select-arrow { color: var(--fw-ctl-arrow, rgba(0,0,0,.25)); font-size: 12px; }
.fw-form .fw-lite-select-placeholder { color: var(--fw-ctl-placeholder, rgba(0,0,0,.25)); }
.fw-form .fw-lite-select-busy { cursor: progress; }
.fw-form .fw-lite-select-disabled, .fw-form .fw-lite-select-disabled:hover { background: var(--fw-ctl-bg-disabled, rgba(0,0,0,.04)); color: var(--fw-ctl-text-disabled, rgba(0,0,0,.25)); border-color: var(--fw-ctl-border, #d9d9d9); cursor: not-allowed; }
.fw-form .fw-field-invalid .fw-lite-select { border-color: #ff4d4f; }
.fw-form .fw-readonly { display: block; min-height: 32px; padding: 4px 11px; background: rgba(0,0,0,.03); border-radius: 6px; }
.fw-form .fw-section { border: 0; margin: 0 0 8px; padding: 0; }
.fw-form .fw-section > summary { font-size: 16px; font-weight: 600; padding: 8px 0; cursor: pointer; }
.fw-form .fw-dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-inline-end: 6px; vertical-align: middle; }
.fw-form .fw-switch { display: inline-flex; gap: 8px; align-items: center; min-height: 32px; }
.fw-form .fw-rating { display: inline-flex; gap: 12px; align-items: center; }
.fw-form .fw-thumbs { display: flex; flex-wrap: wrap; gap: 8px; margin-bottom: 8px; }
.fw-form .fw-thumb { position: relative; margin: 0; }
.fw-form .fw-thumb button { position: absolute; top: 2px; right: 2px; }
.fw-form .fw-file-list { list-style: none; padding: 0; margin: 0 0 8px; }
.fw-form .fw-signature-pad { width: 100%; max-width: 600px; height: 200px; border: 1px dashed #bbb; border-radius: 6px; background: #fff; display: block; }
.fw-form .fw-signature-image { max-width: 300px; max-height: 120px; display: block; margin-bottom: 8px; }
.fw-form .fw-richtext-body { min-height: 120px; border: 1px solid #d9d9d9; border-radius: 6px; padding: 8px 11px; margin-top: 4px; }
.fw-form .fw-subform { overflow-x: auto; }
.fw-form .fw-subform table { width: 100%; border-collapse: collapse; margin-bottom: 8px; }
.fw-form .fw-subform th, .fw-form .fw-subform td { border: 1px solid #f0f0f0; padding: 6px; vertical-align: top; text-align: start; min-width: 120px; }
.fw-form .fw-subform .fw-subform-index { min-width: 48px; width: 48px; }
.fw-form .fw-subform .fw-subform-actions { min-width: 120px; white-space: nowrap; }
.fw-form .fw-cell-error { background: #fff2f0; }
.fw-form .fw-footer { margin-top: 16px; display: flex; gap: 8px; }
@media (max-width: 600px) {
  .fw-form .fw-grid { grid-template-columns: minmax(0, 1fr); }
  .fw-form .ant-input, .fw-form .ant-select, .fw-form .ant-input-number, .fw-form .ant-btn, .fw-form .fw-touch, .fw-form .fw-lite-select, .fw-form .fw-input { min-height: 44px; font-size: 16px; }
  .fw-form .ant-select-selector { min-height: 44px !important; }
  .fw-form .fw-subform table, .fw-form .fw-subform tbody, .fw-form .fw-subform tr, .fw-form .fw-subform td { display: block; width: 100%; }
  .fw-form .fw-subform thead { display: none; }
  .fw-form .fw-subform tr { border: 1px solid #e5e5e5; border-radius: 8px; margin-bottom: 12px; padding: 4px; }
  .fw-form .fw-subform td { border: 0; }
  .fw-form .fw-subform td::before { content: attr(data-label); display: block; font-weight: 500; margin-bottom: 4px; }
  .fw-form .fw-footer .ant-btn { width: 100%; }
}
`;
