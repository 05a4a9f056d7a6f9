import { Spin, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { WidgetProps } from '../types.js';
import { formSelectProps, WakingSelect } from './choice.js';
import { emptyToUndefined, fwContext } from './common.js';

export interface RemoteOption {
  value: string;
  label: string;
  record?: Record<string, unknown>;
}

export interface RemoteSelectProps {
  widget: WidgetProps;
  multiple: boolean;
  /** Search as the user types (debounced). */
  search(q: string): Promise<RemoteOption[]>;
  /** The label of a value not in the current results. */
  resolve(id: string): Promise<string | undefined>;
}

/** A select that searches on the server as you type and remembers the labels of picked values. */
export function RemoteSelect({ widget: props, multiple, search, resolve }: RemoteSelectProps) {
  const ctx = fwContext(props);
  const { t, names } = ctx;
  const [options, setOptions] = useState<RemoteOption[]>([]);
  const [loading, setLoading] = useState(false);
  const [, setTick] = useState(0);
  const seq = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const values: string[] = multiple
    ? Array.isArray(props.value)
      ? (props.value as string[])
      : []
    : typeof props.value === 'string'
      ? [props.value]
      : [];

  const run = (q: string) => {
    const mine = ++seq.current;
    setLoading(true);
    search(q)
      .then((found) => {
        if (mine !== seq.current) return;
        for (const o of found) names.set(o.value, o.label);
        setOptions(found);
      })
      .catch(() => {
        if (mine === seq.current) setOptions([]);
      })
      .finally(() => {
        if (mine === seq.current) setLoading(false);
      });
  };

  const valueKey = values.join(',');
  useEffect(() => {
    let live = true;
    const missing = valueKey === '' ? [] : valueKey.split(',').filter((id) => !names.has(id));
    if (missing.length === 0) return;
    void Promise.all(
      missing.map(async (id) => {
        const label = await resolve(id).catch(() => undefined);
        if (label !== undefined) names.set(id, label);
      }),
    ).then(() => {
      if (live) setTick((n) => n + 1);
    });
    return () => {
      live = false;
    };
  }, [valueKey, names, resolve]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const merged = [...options];
  for (const id of values)
    if (!merged.some((o) => o.value === id)) merged.push({ value: id, label: names.get(id) ?? id });

  const labelOf = (id: string) => names.get(id) ?? id;
  return (
    <WakingSelect
      widget={props}
      shown={
        values.length === 0
          ? null
          : multiple
            ? values.map((id) => <Tag key={id}>{labelOf(id)}</Tag>)
            : labelOf(values[0] as string)
      }
      placeholder={t('widget.search')}
      // A select that mounts open (it was pressed) lists the first results at once, as opening it does.
      onMount={(mount) => {
        if (mount.defaultOpen && options.length === 0) run('');
      }}
      render={(Select, mount) => (
        <Select
          {...formSelectProps(props, mount)}
          mode={multiple ? 'multiple' : undefined}
          value={multiple ? values : values[0]}
          options={merged.map((o) => ({ value: o.value, label: o.label }))}
          showSearch={{
            filterOption: false,
            onSearch: (q: string) => {
              clearTimeout(timer.current);
              timer.current = setTimeout(() => run(q), 250);
            },
          }}
          placeholder={t('widget.search')}
          allowClear
          loading={loading}
          notFoundContent={loading ? <Spin size="small" /> : t('widget.noMatch')}
          onOpenChange={(open) => {
            if (open && options.length === 0) run('');
          }}
          onChange={(v: string | string[] | undefined) => props.onChange(emptyToUndefined(v ?? undefined))}
        />
      )}
    />
  );
}
