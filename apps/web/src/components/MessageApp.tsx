import { theme } from 'antd';
import AppContext, { type useAppProps } from 'antd/es/app/context';
import type { MessageInstance, MessageType } from 'antd/es/message/interface';
import { lazy, type ReactNode, Suspense, useContext, useMemo, useState } from 'react';

const MessageHost = lazy(() => import('./MessageHost.js'));

type Method = 'info' | 'success' | 'error' | 'warning' | 'loading' | 'open';
const METHODS: readonly Method[] = ['info', 'success', 'error', 'warning', 'loading', 'open'];

/**
 * A `message` API (antd's `MessageInstance`) that mounts antd's message hook with the first message: each
 * call waits for it, then shows the message; what it returns closes the message when called and settles
 * (`then`) when the message closes, as antd's does.
 */
function deferredMessage(ready: Promise<MessageInstance>, wake: () => void): MessageInstance {
  const api = {} as Record<string, unknown>;
  for (const name of METHODS) {
    api[name] = (...args: unknown[]): MessageType => {
      wake();
      let shown: MessageType | undefined;
      let closed = false;
      // Settles with antd's message: `true` once it has closed (`false` if it was closed before it showed).
      const settled: Promise<boolean> = ready.then((real) => {
        if (closed) return false;
        shown = (real[name] as (...a: unknown[]) => MessageType)(...args);
        return shown;
      });
      const close = (() => {
        closed = true;
        shown?.();
      }) as MessageType;
      // biome-ignore lint/suspicious/noThenProperty: antd's MessageType is a thenable that settles when the message closes.
      close.then = (onDone, onError) => settled.then(onDone, onError);
      return close;
    };
  }
  api.destroy = (key?: React.Key) => {
    void ready.then((real) => real.destroy(key));
  };
  return api as unknown as MessageInstance;
}

/**
 * What antd's `<App>` gives this app — `App.useApp().message` (every screen's "saved" / error toasts) and the
 * base font and colour of the page — without the parts nothing here uses and the parts a user may never see:
 * `<App>` also mounts the hook versions of `Modal` and `notification` (~10 kB gzipped of antd on the login
 * page and every screen), and the message hook itself (~8 kB) is fetched with the first message
 * (`MessageHost`). `App.useApp()` keeps working (`message` only: `modal` and `notification` are not
 * provided — use `Modal` or `notification` directly where needed).
 */
export function MessageApp(props: { children: ReactNode }): ReactNode {
  const { token } = theme.useToken();
  const [wanted, setWanted] = useState(false);
  const [host] = useState(() => {
    let resolve: (api: MessageInstance) => void = () => undefined;
    const ready = new Promise<MessageInstance>((r) => {
      resolve = r;
    });
    return { ready, resolve };
  });
  const value = useMemo(
    () => ({ message: deferredMessage(host.ready, () => setWanted(true)) }) as useAppProps,
    [host],
  );
  return (
    <AppContext.Provider value={value}>
      <div
        style={{
          color: token.colorText,
          fontSize: token.fontSize,
          lineHeight: token.lineHeight,
          fontFamily: token.fontFamily,
        }}
      >
        {wanted && (
          <Suspense fallback={null}>
            <MessageHost onReady={host.resolve} />
          </Suspense>
        )}
        {props.children}
      </div>
    </AppContext.Provider>
  );
}

/**
 * `App.useApp().message` without importing antd's `App` (whose module holds the Modal and notification
 * hooks): for the screens on the way to a record form — the list, the drawer, the record page.
 */
export function useAppMessage(): useAppProps['message'] {
  return useContext(AppContext).message;
}
