import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
// The build resolves `antd` to its ES modules, as these paths do; under vitest `antd` is its CommonJS copy,
// whose contexts are other objects.
import App from 'antd/es/app';
import Button from 'antd/es/button';
import ConfigProvider from 'antd/es/config-provider';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { LazyApp, useAppApi } from './LazyApp.js';

function Screen() {
  const { message, notification } = useAppApi();
  // What the admin and workflow screens use: antd's own hook reads the same context.
  const { modal } = App.useApp();
  const [answer, setAnswer] = useState('');
  return (
    <div>
      <Button onClick={() => message.success('Saved')}>toast</Button>
      <Button onClick={() => notification.info({ title: 'Heads up' })}>notify</Button>
      <Button
        onClick={async () => {
          const ok = await modal.confirm({
            title: 'Delete the record?',
            okText: 'Delete',
            cancelText: 'Keep',
          });
          setAnswer(ok ? 'confirmed' : 'cancelled');
        }}
      >
        ask
      </Button>
      <output>{answer}</output>
    </div>
  );
}

function renderApp() {
  return render(
    <ConfigProvider>
      <LazyApp>
        <Screen />
      </LazyApp>
    </ConfigProvider>,
  );
}

describe('LazyApp', () => {
  afterEach(cleanup);

  it('wraps the app in antd App’s element and loads nothing until something is shown', () => {
    const { container } = renderApp();
    expect(container.querySelector('.ant-app')).not.toBeNull();
    expect(document.querySelector('.ant-message')).toBeNull();
  });

  it('shows a message', async () => {
    renderApp();
    fireEvent.click(screen.getByText('toast'));
    await waitFor(() => expect(document.querySelector('.ant-message')?.textContent).toContain('Saved'));
  });

  it('shows a notification', async () => {
    renderApp();
    fireEvent.click(screen.getByText('notify'));
    await waitFor(() =>
      expect(document.querySelector('.ant-notification')?.textContent).toContain('Heads up'),
    );
  });

  it('asks for confirmation in a dialog and answers what the user chose', async () => {
    renderApp();
    fireEvent.click(screen.getByText('ask'));
    const ok = await screen.findByRole('button', { name: 'Delete' });
    expect(screen.getAllByText('Delete the record?').length).toBeGreaterThan(0);
    await act(async () => {
      fireEvent.click(ok);
    });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('confirmed'));
  });

  it('answers false when the user cancels the dialog', async () => {
    renderApp();
    fireEvent.click(screen.getByText('ask'));
    const keep = await screen.findByRole('button', { name: 'Keep' });
    await act(async () => {
      fireEvent.click(keep);
    });
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('cancelled'));
  });
});
