import type { useAppProps } from 'antd/es/app/context';
import { describe, expect, it, vi } from 'vitest';
import { deferredAppApi } from './deferred-feedback.js';

/** A fake of antd's three APIs that records calls; messages and dialogs settle when the test says so. */
function fakeAntd() {
  const calls: string[] = [];
  const settle: Array<(v: boolean) => void> = [];
  const thenable = (name: string) => {
    let done: (v: boolean) => void = () => undefined;
    const p = new Promise<boolean>((r) => {
      done = r;
    });
    settle.push(done);
    const close = Object.assign(() => calls.push(`close ${name}`), {
      // biome-ignore lint/suspicious/noThenProperty: the fake mirrors antd's thenable results.
      then: (a: (v: boolean) => unknown, b?: (e: unknown) => unknown) => p.then(a, b),
    });
    return close;
  };
  const modalRef = (name: string) =>
    Object.assign(thenable(name), {
      destroy: () => calls.push(`destroy ${name}`),
      update: (c: unknown) => calls.push(`update ${name} ${JSON.stringify(c)}`),
    });
  const api = {
    message: {
      success: (text: string) => {
        calls.push(`message.success ${text}`);
        return thenable(text);
      },
      destroy: (key?: string) => calls.push(`message.destroy ${key}`),
    },
    notification: {
      info: (args: { title: string }) => calls.push(`notification.info ${args.title}`),
      destroy: () => calls.push('notification.destroy'),
    },
    modal: {
      confirm: (c: { title: string }) => {
        calls.push(`modal.confirm ${c.title}`);
        return modalRef(c.title);
      },
    },
  } as unknown as useAppProps;
  return { api, calls, settle };
}

function setup() {
  let resolve: (api: useAppProps) => void = () => undefined;
  const ready = new Promise<useAppProps>((r) => {
    resolve = r;
  });
  const wake = vi.fn();
  const fake = fakeAntd();
  return {
    api: deferredAppApi(ready, wake),
    wake,
    ready: () => resolve(fake.api),
    calls: fake.calls,
    settle: fake.settle,
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('App.useApp() before antd’s implementations have loaded', () => {
  it('wakes the host on the first call and shows what was asked once they are there', async () => {
    const s = setup();
    expect(s.wake).not.toHaveBeenCalled();
    s.api.message.success('Saved');
    s.api.notification.info({ title: 'Hello' });
    expect(s.wake).toHaveBeenCalled();
    await tick();
    expect(s.calls).toEqual([]);
    s.ready();
    await tick();
    expect(s.calls).toEqual(['message.success Saved', 'notification.info Hello']);
  });

  it('a message closed before it showed never shows, and settles false', async () => {
    const s = setup();
    const close = s.api.message.success('Saved');
    close();
    s.ready();
    await expect(close.then((v) => v)).resolves.toBe(false);
    expect(s.calls).toEqual([]);
  });

  it('a message closes through its closer and settles when antd’s message closes', async () => {
    const s = setup();
    const close = s.api.message.success('Saved');
    s.ready();
    const settled = close.then((v) => `closed: ${v}`);
    await tick();
    s.settle[0]?.(true);
    await expect(settled).resolves.toBe('closed: true');
    close();
    await tick();
    expect(s.calls).toEqual(['message.success Saved', 'close Saved']);
  });

  it('a confirmation answers whether it was confirmed, and can be updated and destroyed', async () => {
    const s = setup();
    const ref = s.api.modal.confirm({ title: 'Delete?' });
    ref.update({ title: 'Really delete?' });
    s.ready();
    const answer = ref.then(
      (ok) => ok,
      () => undefined,
    );
    await tick();
    s.settle[0]?.(true);
    await expect(answer).resolves.toBe(true);
    ref.destroy();
    await tick();
    expect(s.calls).toEqual([
      'modal.confirm Delete?',
      'update Delete? {"title":"Really delete?"}',
      'destroy Delete?',
    ]);
  });

  it('a confirmation destroyed before it opened never opens, and answers false', async () => {
    const s = setup();
    const ref = s.api.modal.confirm({ title: 'Delete?' });
    ref.destroy();
    s.ready();
    await expect(
      ref.then(
        (ok) => ok,
        () => undefined,
      ),
    ).resolves.toBe(false);
    expect(s.calls).toEqual([]);
  });

  it('passes destroy on', async () => {
    const s = setup();
    s.api.message.destroy('k');
    s.api.notification.destroy();
    s.ready();
    await tick();
    expect(s.calls).toEqual(['message.destroy k', 'notification.destroy']);
  });
});
