import type { Locale } from '@formwork/metadata';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { AppContext, type AppState } from '../context.js';
import { createAppI18n } from '../i18n.js';
import { CountBadge } from './flows/nav.js';
import { HomePage } from './HomePage.js';
import { LoginPage } from './LoginPage.js';
import { NavMenu } from './NavMenu.js';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function withI18n(locale: Locale, ui: ReactNode) {
  return render(<I18nextProvider i18n={createAppI18n(locale)}>{ui}</I18nextProvider>);
}

describe('NavMenu', () => {
  const items = [
    { key: 'home', label: 'Home', href: '/' },
    {
      type: 'group' as const,
      key: 'g:entities',
      label: 'Forms',
      children: [
        { key: 'e:order', label: 'Orders', href: '/e/order' },
        { key: 'e:customer', label: 'Customers', href: '/e/customer' },
      ],
    },
  ];

  it('lists its entries as links in groups, marking the current one', () => {
    render(<NavMenu items={items} selectedKey="e:order" onSelect={() => undefined} aria-label="Menu" />);
    const entries = screen.getAllByRole('menuitem');
    expect(entries.map((e) => e.textContent)).toEqual(['Home', 'Orders', 'Customers']);
    expect(entries.map((e) => e.getAttribute('href'))).toEqual(['/', '/e/order', '/e/customer']);
    expect(screen.getByRole('menuitem', { name: 'Orders' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('group', { name: 'Forms' })).toBeTruthy();
  });

  it('selects an entry on a click, leaving modified clicks (a new tab) to the browser', () => {
    const onSelect = vi.fn();
    render(<NavMenu items={items} selectedKey="home" onSelect={onSelect} />);
    const customers = screen.getByRole('menuitem', { name: 'Customers' });
    expect(fireEvent.click(customers)).toBe(false); // default prevented: the app navigates itself
    expect(onSelect).toHaveBeenCalledWith('e:customer');
    expect(fireEvent.click(customers, { ctrlKey: true })).toBe(true);
    expect(onSelect).toHaveBeenCalledTimes(1);
  });

  it('is used with the keyboard: entries are links (Tab, Enter); the arrows, Home and End move between them', () => {
    const onSelect = vi.fn();
    render(<NavMenu items={items} selectedKey="home" onSelect={onSelect} />);
    const [home, orders, customers] = screen.getAllByRole('menuitem') as HTMLAnchorElement[];
    // Links are in the tab order and Enter follows them (the browser clicks a focused link on Enter).
    expect(home?.tabIndex).toBe(0);
    home?.focus();
    const key = (k: string) => fireEvent.keyDown(document.activeElement as Element, { key: k });
    key('ArrowDown');
    expect(document.activeElement).toBe(orders);
    key('End');
    expect(document.activeElement).toBe(customers);
    key('ArrowDown');
    expect(document.activeElement).toBe(home);
    key('ArrowUp');
    expect(document.activeElement).toBe(customers);
    key('Home');
    expect(document.activeElement).toBe(home);
    fireEvent.click(document.activeElement as Element);
    expect(onSelect).toHaveBeenCalledWith('home');
  });
});

describe('LanguageSwitch', () => {
  it('is a labelled select of the two languages that switches on a choice', () => {
    const setLocale = vi.fn();
    withI18n('zh-CN', <LanguageSwitch locale="zh-CN" setLocale={setLocale} />);
    const select = screen.getByRole('combobox', { name: '语言' }) as HTMLSelectElement;
    expect(select.value).toBe('zh-CN');
    expect([...select.options].map((o) => o.textContent)).toEqual(['中文', 'English']);
    fireEvent.change(select, { target: { value: 'en' } });
    expect(setLocale).toHaveBeenCalledWith('en');
  });

  it('is labelled in English for English users', () => {
    withI18n('en', <LanguageSwitch locale="en" setLocale={() => undefined} />);
    expect((screen.getByRole('combobox', { name: 'Language' }) as HTMLSelectElement).value).toBe('en');
  });
});

describe('LoginPage', () => {
  it('asks for the e-mail and the password before it signs in, in the user’s language', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ user: { id: 'u1', name: 'Ann' } })));
    vi.stubGlobal('fetch', fetch);
    const onLogin = vi.fn();
    withI18n('zh-CN', <LoginPage locale="zh-CN" setLocale={() => undefined} onLogin={onLogin} />);
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByText('请输入邮箱')).toBeTruthy();
    expect(screen.getByText('请输入密码')).toBeTruthy();
    expect(screen.getByLabelText('邮箱').getAttribute('aria-invalid')).toBe('true');
    expect(fetch).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('邮箱'), { target: { value: ' ann@example.com ' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'secret-1' } });
    expect(screen.queryByText('请输入邮箱')).toBeNull();
    fireEvent.submit(screen.getByLabelText('邮箱').closest('form') as HTMLFormElement);
    await waitFor(() => expect(onLogin).toHaveBeenCalledWith({ user: { id: 'u1', name: 'Ann' } }));
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toContain('/api/auth/login');
    expect(JSON.parse(String(init.body))).toMatchObject({ email: 'ann@example.com', password: 'secret-1' });
  });

  it('shows the server’s refusal', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({ error: { code: 'BAD_LOGIN', message: 'Wrong e-mail or password' } }),
            {
              status: 401,
            },
          ),
      ),
    );
    withI18n('en', <LoginPage locale="en" setLocale={() => undefined} onLogin={() => undefined} />);
    fireEvent.change(screen.getByLabelText('E-mail'), { target: { value: 'ann@example.com' } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'nope' } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Sign-in failed')).toBeTruthy();
    expect(screen.getByText('Wrong e-mail or password')).toBeTruthy();
  });
});

describe('CountBadge', () => {
  it('shows a count, "99+" past the maximum, and nothing for 0', () => {
    const { rerender } = render(<CountBadge count={5} data-testid="b" />);
    expect(screen.getByTestId('b').textContent).toBe('5');
    rerender(<CountBadge count={120} max={99} data-testid="b" />);
    expect(screen.getByTestId('b').textContent).toBe('99+');
    rerender(<CountBadge count={0} data-testid="b" />);
    expect(screen.queryByTestId('b')).toBeNull();
  });
});

describe('HomePage', () => {
  const entities = [
    {
      key: 'order',
      label: { 'zh-CN': '订单', en: 'Orders' },
      description: { 'zh-CN': '销售订单', en: 'Sales orders' },
      fields: [],
    },
    { key: 'secret', label: { 'zh-CN': '机密', en: 'Secret' }, fields: [] },
  ];
  const app = (over: Partial<AppState>): AppState =>
    ({
      locale: 'en',
      entities,
      isAdmin: false,
      can: (entity: string) => entity === 'order',
      ...over,
    }) as unknown as AppState;
  const renderHome = (state: AppState, locale: Locale = 'en') =>
    withI18n(
      locale,
      <AppContext.Provider value={state}>
        <HomePage />
      </AppContext.Provider>,
    );

  it('shows a card per form the member may use, its title a link to its records', () => {
    renderHome(app({}));
    const link = screen.getByRole('link', { name: 'Orders' });
    expect(link.getAttribute('href')).toBe('/e/order');
    expect(screen.getByText('Sales orders')).toBeTruthy();
    expect(screen.queryByText('Secret')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Design form' })).toBeNull();
    fireEvent.click(link);
    expect(location.pathname).toBe('/e/order');
  });

  it('offers administrators to design each form, in Chinese for Chinese users', () => {
    renderHome(app({ isAdmin: true, locale: 'zh-CN', can: () => true }), 'zh-CN');
    expect(screen.getByRole('link', { name: '订单' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: /设计表单/ })).toHaveLength(2);
  });

  it('says so when there is no form yet', async () => {
    renderHome(app({ entities: [] }));
    expect(await screen.findByText('No forms yet')).toBeTruthy();
  });
});
