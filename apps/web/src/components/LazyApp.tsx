import AppContext, { type useAppProps } from 'antd/es/app/context';
import useStyle from 'antd/es/app/style';
import { ConfigContext } from 'antd/es/config-provider/context';
import { type ComponentType, type ReactNode, useContext, useMemo, useState } from 'react';
import { deferredAppApi } from './deferred-feedback.js';

type Host = ComponentType<{ onReady(api: useAppProps): void }>;

/**
 * antd's `<App>` for this app: the same wrapper (`.ant-app`: the page's font, size and colour) and the same
 * `App.useApp()` — `message`, `notification` and `modal` — but antd's implementations of those three (~15 kB
 * gzipped, with the dialog) are fetched with the first message, notification or dialog (`FeedbackHost`),
 * not with the login page and every screen. Until then a call waits for them (deferred-feedback.ts); nothing
 * a user types passes through here.
 */
export function LazyApp(props: { children: ReactNode }): ReactNode {
  const { getPrefixCls } = useContext(ConfigContext);
  const prefixCls = getPrefixCls('app');
  const [hashId, cssVarCls] = useStyle(prefixCls);
  const [Host, setHost] = useState<Host | null>(null);
  const [state] = useState(() => {
    let resolve: (api: useAppProps) => void = () => undefined;
    const ready = new Promise<useAppProps>((r) => {
      resolve = r;
    });
    return { ready, resolve, loading: false };
  });
  const value = useMemo(
    () =>
      deferredAppApi(state.ready, () => {
        if (state.loading) return;
        state.loading = true;
        import('./FeedbackHost.js').then(
          (m) => setHost(() => m.default),
          () => {
            state.loading = false; // the next call tries again; the waiting ones show then
          },
        );
      }),
    [state],
  );
  return (
    <AppContext.Provider value={value}>
      <div className={[hashId, prefixCls, cssVarCls].filter(Boolean).join(' ')}>
        {Host && <Host onReady={state.resolve} />}
        {props.children}
      </div>
    </AppContext.Provider>
  );
}

/**
 * `App.useApp()` without importing antd's `App` (whose module brings the three implementations along): for
 * the screens on the way to a record form.
 */
export function useAppApi(): useAppProps {
  return useContext(AppContext);
}
