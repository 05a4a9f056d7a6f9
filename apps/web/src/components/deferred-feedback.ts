import type { useAppProps } from 'antd/es/app/context';
import type { MessageInstance, MessageType } from 'antd/es/message/interface';
import type { ModalFuncProps } from 'antd/es/modal/interface';
import type { HookAPI as ModalApi } from 'antd/es/modal/useModal';
import type { NotificationInstance } from 'antd/es/notification/interface';

/**
 * `App.useApp()`'s three APIs — `message`, `notification`, `modal` — usable at once although antd's
 * implementations arrive later: every call wakes the host that loads and mounts them (`wake`), waits for it
 * (`ready`) and then does what antd's call does. What a call answers is there at once and behaves like
 * antd's: a message's closer (and `then`, settled when the message closes), a modal's `destroy`, `update`
 * and `then` (settled with whether it was confirmed). Nothing here reads user input: these only show things.
 */
export function deferredAppApi(ready: Promise<useAppProps>, wake: () => void): useAppProps {
  const when = <T>(use: (real: useAppProps) => T): Promise<T> => {
    wake();
    return ready.then(use);
  };
  return {
    message: deferredMessage(when),
    notification: deferredNotification(when),
    modal: deferredModal(when),
  };
}

type When = <T>(use: (real: useAppProps) => T) => Promise<T>;

const MESSAGE_METHODS = ['info', 'success', 'error', 'warning', 'loading', 'open'] as const;

function deferredMessage(when: When): MessageInstance {
  const api: Record<string, unknown> = {};
  for (const name of MESSAGE_METHODS) {
    api[name] = (...args: unknown[]): MessageType => {
      let closed = false;
      // Wrapped in an object: antd's MessageType is a thenable, which a promise would otherwise adopt.
      const shown = when((real) =>
        closed ? null : { close: (real.message[name] as (...a: unknown[]) => MessageType)(...args) },
      );
      const close = (() => {
        closed = true;
        void shown.then((s) => s?.close());
      }) as MessageType;
      // Settles as antd's does, with `true` once the message has closed (`false` if closed before it showed).
      const settled = shown.then((s) =>
        s ? new Promise<boolean>((resolve) => s.close.then(resolve)) : false,
      );
      // biome-ignore lint/suspicious/noThenProperty: antd's MessageType is a thenable that settles when the message closes.
      close.then = (onDone, onError) => settled.then(onDone, onError);
      return close;
    };
  }
  api.destroy = (key?: Parameters<MessageInstance['destroy']>[0]) => {
    void when((real) => real.message.destroy(key));
  };
  return api as unknown as MessageInstance;
}

const NOTIFICATION_METHODS = ['success', 'error', 'info', 'warning', 'open'] as const;

function deferredNotification(when: When): NotificationInstance {
  const api: Partial<NotificationInstance> = {};
  for (const name of NOTIFICATION_METHODS) {
    api[name] = (args) => {
      void when((real) => real.notification[name](args));
    };
  }
  api.destroy = (key) => {
    void when((real) => real.notification.destroy(key));
  };
  return api as NotificationInstance;
}

const MODAL_METHODS = ['info', 'success', 'error', 'warning', 'confirm'] as const;

type ModalRef = ReturnType<ModalApi['confirm']>;

function deferredModal(when: When): ModalApi {
  const api: Partial<ModalApi> = {};
  for (const name of MODAL_METHODS) {
    api[name] = (config: ModalFuncProps) => {
      let destroyed = false;
      // In an object for the same reason as the message's closer: the modal's ref is a thenable.
      const opened = when((real) => (destroyed ? null : { ref: real.modal[name](config) as ModalRef }));
      const ref = {
        destroy() {
          destroyed = true;
          void opened.then((o) => o?.ref.destroy());
        },
        update(configUpdate: Parameters<ModalRef['update']>[0]) {
          void opened.then((o) => o?.ref.update(configUpdate));
        },
        // Settles with antd's answer: whether the dialog was confirmed (false when destroyed first). Like
        // antd's, it never rejects.
        // biome-ignore lint/suspicious/noThenProperty: antd's modal ref is a thenable (`await modal.confirm(…)`).
        then<T>(resolve: (confirmed: boolean) => T): Promise<T> {
          return opened
            .then((o) =>
              o ? new Promise<boolean>((done) => void o.ref.then(done, () => done(false))) : false,
            )
            .then(resolve);
        },
      };
      return ref as ModalRef;
    };
  }
  return api as ModalApi;
}
