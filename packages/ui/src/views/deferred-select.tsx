import { DownOutlined, LoadingOutlined } from '@ant-design/icons';
import { type Select as AntSelect, ConfigProvider, type SelectProps, theme } from 'antd';
import { type ReactNode, type RefObject, useEffect, useState, useSyncExternalStore } from 'react';

/**
 * antd's Select is a chunk of its own (with its virtual list, overflow tags and empty state, ~26 kB gzipped):
 * the screens on the way to a form show selects few people open, so the Select is fetched when one is used
 * (a form's select is woken) or shown (a select that is not drawn until it is ready, `DeferredSelect`).
 *
 * While it loads, a select says so and takes no input (`aria-busy`, a spinner, disabled): nothing typed in
 * that moment is kept to be replayed later. The one thing remembered is how the user reached the select — a
 * press opens it once it is there, the focus lands in it — unless they went elsewhere meanwhile.
 */
export type SelectComponent = typeof AntSelect;

let loaded: SelectComponent | undefined;
let loading: Promise<SelectComponent> | undefined;
// Components showing a select while it loads; told once it is there (`useSyncExternalStore` also catches
// an arrival between a component's render and its subscription).
const arrivalListeners = new Set<() => void>();
const subscribe = (onArrival: () => void) => {
  arrivalListeners.add(onArrival);
  return () => arrivalListeners.delete(onArrival);
};
const current = () => loaded ?? null;

/** Fetches antd's Select; settles at once when it is already there. A failed fetch is retried by the next call. */
export function loadSelect(): Promise<SelectComponent> {
  loading ??= import('./antd-select.js').then(
    (m) => {
      loaded = m.default;
      for (const onArrival of arrivalListeners) onArrival();
      return m.default;
    },
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

/** Starts fetching antd's Select (a form does when the user starts filling it in). */
export function preloadSelect(): void {
  loadSelect().catch(() => undefined);
}

/**
 * antd's Select once its chunk is there (null before); fetched while `wanted`. `failed`: the last fetch
 * failed — `retry` tries again.
 */
export function useSelectComponent(wanted: boolean): {
  Select: SelectComponent | null;
  failed: boolean;
  retry(): void;
} {
  const Select = useSyncExternalStore(subscribe, current, current);
  const [attempt, setAttempt] = useState(0);
  const [failed, setFailed] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new `attempt` fetches again after a failure.
  useEffect(() => {
    if (!wanted || loaded) return;
    let live = true;
    setFailed(false);
    loadSelect().catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [wanted, attempt]);
  return { Select, failed, retry: () => setAttempt((n) => n + 1) };
}

/** How a closed select was reached: the pointer came over it, it got the focus, or it was pressed (open it). */
export type Wake = 'hover' | 'focus' | 'open';

/**
 * The state of a select drawn closed (light) until it is used, as the form's selects are. `wake` records how
 * it was reached — a press or the focus after a hover counts more — and mounts the real Select once antd's
 * Select is there (`Select`; `waiting` until then). Should the user go elsewhere while it loads (focus or
 * press another element), it mounts without taking the focus or opening.
 */
export function useWakeSelect(box: RefObject<HTMLElement | null>): {
  Select: SelectComponent | null;
  wake: Wake | null;
  setWake(how: Wake): void;
  waiting: boolean;
} {
  const [wake, setWakeState] = useState<Wake | null>(null);
  const { Select } = useSelectComponent(wake !== null);
  const waiting = wake !== null && Select === null;
  const wantsFocus = wake === 'focus' || wake === 'open';
  useEffect(() => {
    if (!waiting || !wantsFocus) return;
    const away = (e: Event) => {
      if (!box.current?.contains(e.target as Node | null)) setWakeState('hover');
    };
    document.addEventListener('focusin', away, true);
    document.addEventListener('pointerdown', away, true);
    return () => {
      document.removeEventListener('focusin', away, true);
      document.removeEventListener('pointerdown', away, true);
    };
  }, [waiting, wantsFocus, box]);
  return {
    Select: wake === null ? null : Select,
    wake,
    setWake: (how) => setWakeState((w) => (w === null || (w === 'hover' && how !== 'hover') ? how : w)),
    waiting,
  };
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
 * An antd Select (single choice, options given as `options`) that is fetched when it is shown: until then a
 * disabled box in the Select's look (size, border, radius and colours from the theme) shows the chosen
 * option with a spinner. For selects on the way to a form that only some people see — the saved views
 * (once there are some), the phone's sort picker.
 */
export function DeferredSelect(props: SelectProps & { 'data-testid'?: string }): ReactNode {
  const { Select, failed, retry } = useSelectComponent(true);
  const { token } = theme.useToken();
  const { componentSize } = ConfigProvider.useConfig();
  if (Select) return <Select {...props} />;
  const size = props.size ?? componentSize;
  const [large, small] = [size === 'large', size === 'small'];
  const value = props.value ?? props.defaultValue;
  const shown = labelOf(props.options as PlainOption[] | undefined, value) ?? (value as ReactNode);
  return (
    <button
      type="button"
      aria-label={props['aria-label']}
      aria-busy={!failed}
      data-testid={props['data-testid']}
      // Disabled while loading; should loading fail, a press tries again.
      disabled={!failed}
      onClick={retry}
      style={{
        display: 'inline-flex',
        alignItems: 'center',
        gap: 4,
        boxSizing: 'border-box',
        height: large ? token.controlHeightLG : small ? token.controlHeightSM : token.controlHeight,
        padding: `0 ${(small ? token.paddingXS : token.paddingSM) - token.lineWidth}px`,
        border: `${token.lineWidth}px solid ${token.colorBorder}`,
        borderRadius: large ? token.borderRadiusLG : small ? token.borderRadiusSM : token.borderRadius,
        background: token.colorBgContainer,
        color: token.colorText,
        font: 'inherit',
        fontSize: large ? token.fontSizeLG : token.fontSize,
        textAlign: 'start',
        cursor: failed ? 'pointer' : 'progress',
        verticalAlign: 'top',
        ...props.style,
      }}
    >
      <span
        style={{ flex: 1, minWidth: 0, overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis' }}
      >
        {shown}
      </span>
      {failed ? (
        <DownOutlined aria-hidden style={{ color: token.colorTextQuaternary, fontSize: 12 }} />
      ) : (
        <LoadingOutlined aria-hidden spin style={{ color: token.colorTextQuaternary, fontSize: 12 }} />
      )}
    </button>
  );
}
