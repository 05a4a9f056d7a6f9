import { Button, Input, Space, Tooltip } from 'antd';
import { type ReactNode, useEffect, useRef } from 'react';
import { sanitizeHtml } from '../sanitize.js';
import type { WidgetProps } from '../types.js';
import { emptyToUndefined, fieldOf, fwContext, isLocked } from './common.js';

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
    <Input
      id={props.id}
      name={props.id}
      type={props.inputType ?? 'text'}
      inputMode={props.inputMode}
      value={typeof props.value === 'string' || typeof props.value === 'number' ? String(props.value) : ''}
      placeholder={placeholder}
      disabled={props.disabled}
      readOnly={props.readonly}
      maxLength={field.maxLength}
      autoFocus={props.autofocus}
      aria-required={props.required || undefined}
      aria-invalid={props.rawErrors && props.rawErrors.length > 0 ? true : undefined}
      suffix={props.suffix}
      onChange={(e) => props.onChange(emptyToUndefined(e.target.value))}
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
 * Multi-line text that grows with its content, from 3 to 12 lines. CSS does the sizing (`field-sizing`), so
 * a form with many of them lays out once instead of measuring each (antd's `autoSize` forces a layout per
 * textarea); browsers without it measure only the textarea being typed into.
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
    <Input.TextArea
      ref={(r) => {
        ref.current = r?.resizableTextArea?.textArea ?? null;
      }}
      id={props.id}
      name={props.id}
      className="fw-autosize"
      rows={3}
      value={value}
      disabled={props.disabled}
      readOnly={props.readonly}
      maxLength={field.maxLength}
      aria-required={props.required || undefined}
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
