import { DownOutlined } from '@ant-design/icons';
import { ConfigProvider, type Select, type SelectProps, theme } from 'antd';
import {
  type KeyboardEvent,
  lazy,
  type ReactNode,
  type RefObject,
  Suspense,
  useEffect,
  useRef,
  useState,
} from 'react';

/**
 * antd's Select as a chunk of its own (with its virtual list and the multiple-choice tags, ~23 kB gzipped):
 * the record list, the shell and a form show closed selects that most people never open, so the Select is
 * fetched when one is first woken (`WakeSelect`, the form's `LiteSelect`) or rendered.
 */
// Typed as antd's Select so the value and option types are inferred as with the Select itself.
export const LazySelect = lazy(() => import('./antd-select.js')) as unknown as typeof Select;

/** How a closed select was woken: the pointer reached it, it got the focus, or it was pressed (open it). */
export type Wake = 'hover' | 'focus' | 'open';

/**
 * The wake state of a select drawn closed until used. A press or the focus that comes while the Select is
 * still being fetched after a hover upgrades the state, so the Select opens (or takes the focus) as it mounts.
 */
export function useWake(): [Wake | null, (how: Wake) => void] {
  const [wake, setWake] = useState<Wake | null>(null);
  return [wake, (how) => setWake((w) => (w === null || (w === 'hover' && how !== 'hover') ? how : w))];
}

interface PlainOption {
  value?: unknown;
  label?: ReactNode;
  options?: PlainOption[];
}

function labelOf(options: readonly PlainOption[] | undefined, value: unknown): ReactNode {
  for (const o of options ?? []) {
    if (o.options) {
      const inner = labelOf(o.options, value);
      if (inner !== undefined) return inner;
    } else if (o.value === value) return o.label;
  }
  return undefined;
}

/**
 * A single-choice antd Select (options given as `options`) drawn as a closed box in antd's look — size,
 * border, radius, colours from the theme — until the pointer, the focus or a press reaches it; then the real
 * Select takes its place (opened if it was pressed). The shell's language switch, the saved views and the
 * phone's sort picker use it, so showing them costs no Select.
 */
export function WakeSelect(props: SelectProps & { 'data-testid'?: string }): ReactNode {
  const { token } = theme.useToken();
  const { componentSize } = ConfigProvider.useConfig();
  const size = props.size ?? componentSize;
  const [large, small] = [size === 'large', size === 'small'];
  const [wake, setWake] = useWake();
  // What the user types while the Select is being fetched, replayed into its search box once it mounts.
  const typed = useRef({ text: '', enter: false });
  const host = useRef<HTMLSpanElement>(null);
  const boxInput = useRef<HTMLInputElement>(null);
  // Waking re-renders the box inside the Select's Suspense (a new element): keep the focus in it.
  useEffect(() => {
    if (
      (wake === 'open' || wake === 'focus') &&
      boxInput.current &&
      document.activeElement !== boxInput.current
    )
      boxInput.current.focus();
  }, [wake]);
  const value = props.value ?? props.defaultValue;
  const shown = labelOf(props.options as PlainOption[] | undefined, value) ?? (value as ReactNode);
  const box = (
    <div
      data-testid={props['data-testid']}
      onPointerEnter={() => !props.disabled && setWake('hover')}
      style={{
        position: 'relative',
        display: 'inline-flex',
        alignItems: 'center',
        gap: 4,
        boxSizing: 'border-box',
        height: large ? token.controlHeightLG : small ? token.controlHeightSM : token.controlHeight,
        padding: `0 ${(small ? token.paddingXS : token.paddingSM) - token.lineWidth}px`,
        border: `${token.lineWidth}px solid ${token.colorBorder}`,
        borderRadius: large ? token.borderRadiusLG : small ? token.borderRadiusSM : token.borderRadius,
        background: props.disabled ? token.colorBgContainerDisabled : token.colorBgContainer,
        color: props.disabled ? token.colorTextDisabled : token.colorText,
        fontSize: large ? token.fontSizeLG : token.fontSize,
        cursor: props.disabled ? 'not-allowed' : 'pointer',
        verticalAlign: 'top',
        ...props.style,
      }}
    >
      <span
        style={{ flex: 1, minWidth: 0, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}
      >
        {shown}
      </span>
      <DownOutlined aria-hidden style={{ color: token.colorTextQuaternary, fontSize: 12 }} />
      {/* The focusable part: an invisible input over the box, so what is typed (or entered through an input
          method) while the Select loads lands somewhere and is replayed into it (TypeAhead). */}
      <input
        role="combobox"
        aria-expanded={false}
        aria-haspopup="listbox"
        aria-label={props['aria-label']}
        disabled={props.disabled}
        readOnly={!props.showSearch}
        autoComplete="off"
        ref={boxInput}
        onFocus={() => setWake('focus')}
        onMouseDown={(e) => {
          e.preventDefault();
          e.currentTarget.focus();
          setWake('open');
        }}
        onChange={(e) => {
          typed.current.text = e.target.value;
          setWake('open');
        }}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key === 'Enter' && wake) typed.current.enter = true;
          if (e.key === 'Enter' || e.key === 'ArrowDown' || (e.key === ' ' && !props.showSearch)) {
            e.preventDefault();
            setWake('open');
          }
        }}
        style={{
          position: 'absolute',
          inset: 0,
          width: '100%',
          height: '100%',
          margin: 0,
          padding: 0,
          border: 0,
          opacity: 0,
          cursor: 'inherit',
        }}
      />
    </div>
  );
  if (!wake) return box;
  return (
    <Suspense fallback={box}>
      <span ref={host} style={{ display: 'contents' }}>
        <LazySelect
          {...props}
          autoFocus={props.autoFocus || wake !== 'hover'}
          defaultOpen={wake === 'open'}
        />
      </span>
      <TypeAhead host={host} typed={typed} select={props} />
    </Suspense>
  );
}

/** The first option (in groups too) whose `prop` contains `text`, ignoring case: what Enter picks. */
function firstMatch(
  options: readonly PlainOption[] | undefined,
  prop: string,
  text: string,
): PlainOption | undefined {
  const q = text.toLowerCase();
  for (const o of options ?? []) {
    const hit = o.options
      ? firstMatch(o.options, prop, text)
      : String((o as Record<string, unknown>)[prop] ?? '')
            .toLowerCase()
            .includes(q)
        ? o
        : undefined;
    if (hit) return hit;
  }
  return undefined;
}

/**
 * Replays into the just-mounted Select's search box what was typed while it loaded, and an Enter typed then
 * picks the first match (as it would have in the Select): clicking a select and typing at once loses
 * nothing.
 */
function TypeAhead(props: {
  host: RefObject<HTMLSpanElement | null>;
  typed: RefObject<{ text: string; enter: boolean }>;
  select: SelectProps;
}): null {
  const { host, typed, select } = props;
  useEffect(() => {
    const { text, enter } = typed.current;
    typed.current = { text: '', enter: false };
    const input = host.current?.querySelector('input');
    if (!input || !text) return;
    if (enter) {
      const prop = typeof select.showSearch === 'object' ? select.showSearch.optionFilterProp : undefined;
      const hit = firstMatch(
        select.options as PlainOption[] | undefined,
        String(prop ?? select.optionFilterProp ?? 'value'),
        text,
      );
      if (hit) {
        select.onChange?.(hit.value, hit as never);
        input.blur();
        return;
      }
    }
    Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, text);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    // Later renders find the buffer empty: this acts once, when the Select has mounted.
  }, [host, typed, select]);
  return null;
}
