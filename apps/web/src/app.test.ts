import { describe, expect, it, vi } from 'vitest';
import { dropLegacySession, readCookie, recordTitle, withCsrf } from './api.js';
import { browserLocale, createAppI18n, withFlowStrings } from './i18n.js';
import { sortFromString, sortToString } from './pages/RecordsPage.js';
import { matchPath, navigate, queryParam } from './router.js';

describe('router', () => {
  it('matches patterns and decodes parameters', () => {
    expect(matchPath('/e/:entity/r/:id', '/e/deal/r/42?x=1')).toEqual({ entity: 'deal', id: '42' });
    expect(matchPath('/e/:entity', '/e/%E5%AE%A2%E6%88%B7')).toEqual({ entity: '客户' });
    expect(matchPath('/e/:entity', '/e/deal/trash')).toBeNull();
    expect(matchPath('/e/:entity', '/x/deal')).toBeNull();
    expect(matchPath('/e/:entity', '/e/%E0%A4%A')).toBeNull();
  });

  it('reads query parameters and navigates with the history API', () => {
    expect(queryParam('/login?next=%2Fe%2Fdeal', 'next')).toBe('/e/deal');
    expect(queryParam('/login', 'next')).toBeNull();
    navigate('/e/deal?view=1');
    expect(`${location.pathname}${location.search}`).toBe('/e/deal?view=1');
  });
});

describe('language', () => {
  it('follows the browser: any Chinese is zh-CN, everything else en', () => {
    expect(browserLocale(['zh-TW', 'en'])).toBe('zh-CN');
    expect(browserLocale(['en-GB', 'zh-CN'])).toBe('en');
    expect(browserLocale(['fr-FR'])).toBe('en');
    expect(browserLocale([])).toBe('en');
  });

  it('has every web and views string in both languages', () => {
    const i18n = createAppI18n('zh-CN');
    expect(i18n.t('records.conflict', { ns: 'web', name: '张三', time: '10:02' })).toBe(
      '此记录已被 张三 于 10:02 修改',
    );
    void i18n.changeLanguage('en');
    expect(i18n.t('records.conflict', { ns: 'web', name: 'Zhang San', time: '10:02' })).toBe(
      'This record was changed by Zhang San at 10:02',
    );
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    for (const ns of ['web', 'views']) {
      const zh = keys(i18n.getResourceBundle('zh-CN', ns)).sort();
      const en = keys(i18n.getResourceBundle('en', ns)).sort();
      expect(en).toEqual(zh);
    }
  });

  it('starts with the menu’s workflow strings and adds the screens’ ones when a workflow page loads', async () => {
    const i18n = createAppI18n('en');
    expect(i18n.t('nav.tasks', { ns: 'flows' })).toBe('My tasks');
    expect(i18n.exists('tasks.title', { ns: 'flows' })).toBe(false);
    const page = { default: 'the page' };
    await expect(withFlowStrings(async () => page)()).resolves.toBe(page);
    expect(i18n.t('tasks.title', { ns: 'flows' })).toBe('My tasks');
    expect(i18n.t('nav.tasks', { ns: 'flows' })).toBe('My tasks');
    // An instance made later (a new session) has them at once.
    const later = createAppI18n('zh-CN');
    expect(later.t('tasks.title', { ns: 'flows' })).toBe('我的任务');
  });
});

describe('list helpers', () => {
  it('converts sorts to and from the API form', () => {
    const sort = [
      { field: 'amount', direction: 'desc' as const },
      { field: 'name', direction: 'asc' as const },
    ];
    expect(sortToString(sort)).toBe('-amount,name');
    expect(sortFromString('-amount,name')).toEqual(sort);
    expect(sortFromString(undefined)).toEqual([]);
  });

  it('titles a record by its title field, else its first text field, else its id', () => {
    const entity = {
      key: 'c',
      fields: [
        { key: 'n', type: 'number' as const },
        { key: 'name', type: 'text' as const },
      ],
    };
    expect(recordTitle(entity, { id: 'abcdef123456', name: 'Acme' })).toBe('Acme');
    expect(recordTitle({ ...entity, titleField: 'n' }, { id: 'x', n: 7 })).toBe('7');
    expect(recordTitle(entity, { id: 'abcdef123456' })).toBe('#abcdef12');
  });
});

describe('session', () => {
  it('reads a cookie by name from document.cookie', () => {
    expect(readCookie('fw_csrf', 'a=1; fw_csrf=abc%2Bd; fw_csrf2=x')).toBe('abc+d');
    expect(readCookie('fw_session', 'a=1; fw_csrf=abc')).toBeNull();
    expect(readCookie('a', '')).toBeNull();
  });

  it('sends the CSRF cookie back as X-CSRF-Token on unsafe requests only, and never a bearer token', async () => {
    const seen: Array<{ method: string; headers: Headers; credentials?: RequestCredentials }> = [];
    const fake = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      seen.push({
        method: init?.method ?? 'GET',
        headers: new Headers(init?.headers),
        ...(init?.credentials ? { credentials: init.credentials } : {}),
      });
      return new Response('{}');
    });
    const f = withCsrf(fake as unknown as typeof fetch, () => 'csrf-1');
    await f('/api/x');
    await f('/api/x', { method: 'post', headers: { authorization: 'Bearer leaked' } });
    await f('/api/x', { method: 'DELETE' });
    expect(seen[0]?.headers.get('x-csrf-token')).toBeNull();
    expect(seen[1]?.headers.get('x-csrf-token')).toBe('csrf-1');
    expect(seen[1]?.headers.get('authorization')).toBeNull();
    expect(seen[2]?.headers.get('x-csrf-token')).toBe('csrf-1');
    expect(seen.every((r) => r.credentials === 'same-origin')).toBe(true);
  });

  it('forgets a session token an earlier version kept in localStorage', () => {
    localStorage.setItem('formwork.session', JSON.stringify({ token: 'old' }));
    dropLegacySession();
    expect(localStorage.getItem('formwork.session')).toBeNull();
  });
});
