import { Button, Space, Tooltip } from 'antd';
import { type ReactNode, useEffect, useRef } from 'react';
import { sanitizeHtml } from '../sanitize.js';
import type { WidgetProps } from '../types.js';
import { emptyToUndefined, fieldOf, fwContext, isLocked } from './common.js';

/**
 * A single-line input drawn by the form itself (`fw-input`, antd's look from the theme variables — see
 * `formThemeVars`): antd's Input costs several times a native input to mount and to re-render, and a form has
 * many of them. With a prefix or suffix the input sits in a box that takes the border (`fw-affix`).
 */
export function LiteInput(props: {
  id: string;
  type?: string;
  inputMode?: React.HTMLAttributes<HTMLInputElement>['inputMode'];
  role?: string;
  value: string;
  placeholder?: string | undefined;
  disabled?: boolean | undefined;
  readOnly?: boolean | undefined;
  maxLength?: number | undefined;
  autoFocus?: boolean | undefined;
  required?: boolean | undefined;
  invalid?: boolean | undefined;
  className?: string;
  prefix?: ReactNode;
  suffix?: ReactNode;
  aria?: Record<`aria-${string}`, string | number | boolean | undefined>;
  onChange(text: string): void;
  onBlur?(e: React.FocusEvent<HTMLInputElement>): void;
  onFocus?(e: React.FocusEvent<HTMLInputElement>): void;
  onKeyDown?(e: React.KeyboardEvent<HTMLInputElement>): void;
}): ReactNode {
  const affixed = props.prefix != null || props.suffix != null;
  const cls = `fw-input${props.className ? ` ${props.className}` : ''}${props.disabled ? ' fw-input-disabled' : ''}`;
  const input = (
    <input
      id={props.id}
      name={props.id}
      type={props.type ?? 'text'}
      role={props.role}
      inputMode={props.inputMode}
      className={affixed ? undefined : cls}
      value={props.value}
      placeholder={props.placeholder}
      disabled={props.disabled}
      readOnly={props.readOnly}
      maxLength={props.maxLength}
      // biome-ignore lint/a11y/noAutofocus: only when the form's UI schema asks for it (`ui:autofocus`)
      autoFocus={props.autoFocus}
      aria-required={props.required || undefined}
      aria-invalid={props.invalid || undefined}
      {...props.aria}
      onChange={(e) => props.onChange(e.target.value)}
      onBlur={props.onBlur}
      onFocus={props.onFocus}
      onKeyDown={props.onKeyDown}
    />
  );
  if (!affixed) return input;
  return (
    // A press on the box (beside the input) puts the caret in the input, as antd's affix wrapper does.
    // biome-ignore lint/a11y/noStaticElementInteractions: the input inside is the control; the box only forwards a press to it
    <span
      className={`${cls} fw-affix`}
      onMouseDown={(e) => {
        const el = e.currentTarget.querySelector('input');
        if (el && e.target !== el && !(e.target as HTMLElement).closest('a')) {
          e.preventDefault();
          el.focus();
        }
      }}
    >
      {props.prefix != null && <span className="fw-affix-text">{props.prefix}</span>}
      {input}
      {props.suffix != null && <span className="fw-affix-text">{props.suffix}</span>}
    </span>
  );
}

function TextInput(
  props: WidgetProps & {
    inputType?: string;
    inputMode?: React.HTMLAttributes<HTMLInputElement>['inputMode'];
    suffix?: ReactNode;
  },
) {
  const field = fieldOf(props);
  const placeholder = (props.options.placeholder as string | undefined) ?? props.placeholder;
  return (
    <LiteInput
      id={props.id}
      type={props.inputType ?? 'text'}
      inputMode={props.inputMode}
      value={typeof props.value === 'string' || typeof props.value === 'number' ? String(props.value) : ''}
      placeholder={placeholder}
      disabled={props.disabled}
      readOnly={props.readonly}
      maxLength={field.maxLength}
      autoFocus={props.autofocus}
      required={props.required}
      invalid={props.rawErrors !== undefined && props.rawErrors.length > 0}
      suffix={props.suffix}
      onChange={(text) => props.onChange(emptyToUndefined(text))}
      onBlur={(e) => props.onBlur(props.id, e.target.value)}
      onFocus={(e) => props.onFocus(props.id, e.target.value)}
    />
  );
}

/** Single-line text. */
export function TextWidget(props: WidgetProps) {
  return <TextInput {...props} />;
}

/** Phone number: the phone keypad on mobiles. */
export function PhoneWidget(props: WidgetProps) {
  return <TextInput {...props} inputType="tel" inputMode="tel" />;
}

/** E-mail address. */
export function EmailWidget(props: WidgetProps) {
  return <TextInput {...props} inputType="email" inputMode="email" />;
}

/** Web address, with a link to open it. */
export function UrlWidget(props: WidgetProps) {
  const t = fwContext(props).t;
  const v = typeof props.value === 'string' ? props.value : '';
  const safe = /^https?:\/\//i.test(v);
  return (
    <TextInput
      {...props}
      inputType="url"
      inputMode="url"
      suffix={
        safe ? (
          <a href={v} target="_blank" rel="noopener noreferrer">
            {t('widget.openLink')}
          </a>
        ) : undefined
      }
    />
  );
}

/** Whether the browser sizes a textarea to its content by CSS (`field-sizing: content`). */
const sizesByCss =
  typeof CSS !== 'undefined' && typeof CSS.supports === 'function' && CSS.supports('field-sizing', 'content');

/** Without `field-sizing`: grow a textarea to its content (between its CSS min and max heights). */
function fitToContent(el: HTMLTextAreaElement | null): void {
  if (!el || sizesByCss) return;
  el.style.height = 'auto';
  el.style.height = `${el.scrollHeight + el.offsetHeight - el.clientHeight}px`;
}

/**
 * Multi-line text that grows with its content, from 3 to 12 lines: a native textarea drawn like antd's
 * (`fw-input`). CSS does the sizing (`field-sizing`), so a form with many of them lays out once instead of
 * measuring each (antd's `autoSize` forces a layout per textarea); browsers without it measure only the
 * textarea being typed into.
 */
export function TextareaWidget(props: WidgetProps) {
  const field = fieldOf(props);
  const ref = useRef<HTMLTextAreaElement | null>(null);
  const value = typeof props.value === 'string' ? props.value : '';
  // A value set from outside (a record, data linkage) is fitted too; typing fits in onChange.
  useEffect(() => {
    if (value.includes('\n') || value.length > 80) fitToContent(ref.current);
  }, [value]);
  return (
    <textarea
      ref={ref}
      id={props.id}
      name={props.id}
      className={`fw-input fw-autosize${props.disabled ? ' fw-input-disabled' : ''}`}
      rows={3}
      value={value}
      disabled={props.disabled}
      readOnly={props.readonly}
      maxLength={field.maxLength}
      aria-required={props.required || undefined}
      aria-invalid={(props.rawErrors !== undefined && props.rawErrors.length > 0) || undefined}
      onChange={(e) => {
        fitToContent(e.target);
        props.onChange(emptyToUndefined(e.target.value));
      }}
      onBlur={(e) => props.onBlur(props.id, e.target.value)}
      onFocus={(e) => props.onFocus(props.id, e.target.value)}
    />
  );
}

const COMMANDS: { cmd: string; key: string; label: string }[] = [
  { cmd: 'bold', key: 'widget.bold', label: 'B' },
  { cmd: 'italic', key: 'widget.italic', label: 'I' },
  { cmd: 'underline', key: 'widget.underline', label: 'U' },
  { cmd: 'insertUnorderedList', key: 'widget.bulletList', label: '•' },
  { cmd: 'insertOrderedList', key: 'widget.numberedList', label: '1.' },
];

/**
 * Rich text: a small editor (bold, italic, underline, lists, links) over `contentEditable`. Whatever is typed
 * or pasted is reduced to an allow-list of tags before it is stored or shown.
 */
export function RichTextWidget(props: WidgetProps) {
  const { t } = fwContext(props);
  const ref = useRef<HTMLDivElement>(null);
  const html = typeof props.value === 'string' ? props.value : '';
  const locked = isLocked(props);
  useEffect(() => {
    const el = ref.current;
    if (el && el.innerHTML !== sanitizeHtml(html) && document.activeElement !== el) {
      el.innerHTML = sanitizeHtml(html);
    }
  }, [html]);
  const emit = () => {
    const el = ref.current;
    if (!el) return;
    const clean = sanitizeHtml(el.innerHTML);
    const text = el.textContent?.trim() ?? '';
    props.onChange(text === '' && !/<img|<li/i.test(clean) ? undefined : clean);
  };
  const run = (cmd: string, arg?: string) => {
    ref.current?.focus();
    document.execCommand?.(cmd, false, arg);
    emit();
  };
  return (
    <div className="fw-richtext">
      {!locked && (
        <Space.Compact className="fw-richtext-toolbar">
          {COMMANDS.map((c) => (
            <Tooltip key={c.cmd} title={t(c.key)}>
              <Button
                size="small"
                aria-label={t(c.key)}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => run(c.cmd)}
              >
                {c.label}
              </Button>
            </Tooltip>
          ))}
          <Button
            size="small"
            aria-label={t('widget.link')}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => {
              const url = window.prompt(t('widget.linkPrompt'));
              if (url && /^https?:\/\//i.test(url)) run('createLink', url);
            }}
          >
            🔗
          </Button>
        </Space.Compact>
      )}
      {/* biome-ignore lint/a11y/useSemanticElements: a contentEditable rich-text editor is a textbox by ARIA; no native element edits HTML */}
      <div
        ref={ref}
        id={props.id}
        role="textbox"
        aria-multiline="true"
        aria-label={props.label}
        tabIndex={0}
        className="fw-richtext-body"
        contentEditable={!locked}
        suppressContentEditableWarning
        onInput={emit}
        onBlur={() => {
          emit();
          props.onBlur(props.id, props.value);
        }}
        onPaste={(e) => {
          e.preventDefault();
          const pasted = e.clipboardData.getData('text/html') || e.clipboardData.getData('text/plain');
          const clean = e.clipboardData.getData('text/html') ? sanitizeHtml(pasted) : escapeText(pasted);
          document.execCommand?.('insertHTML', false, clean);
          emit();
        }}
      />
    </div>
  );
}

function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\n/g, '<br>');
}
