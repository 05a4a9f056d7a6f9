import type { Locale } from '@formwork/metadata';
import { createI18n } from '@formwork/ui/i18n';
import { viewsResources } from '@formwork/ui/views';
import type { i18n } from 'i18next';
import { flowsNavResources } from './pages/flows/nav-strings.js';
import type { flowsWebResources } from './pages/flows/strings.js';
import { webResources } from './strings.js';

const LOCALE_KEY = 'formwork.locale';

/** The browser's language: any Chinese → zh-CN, anything else → en. */
export function browserLocale(languages: readonly string[]): Locale {
  for (const l of languages) {
    const lower = l.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** The saved choice, else the browser's language. */
export function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(LOCALE_KEY);
  if (saved === 'zh-CN' || saved === 'en') return saved;
  const langs = globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en'];
  return browserLocale(langs);
}

export function saveLocale(locale: Locale): void {
  globalThis.localStorage?.setItem(LOCALE_KEY, locale);
}

// Every instance made here, and the workflow strings once loaded (see `loadFlowStrings`).
const instances = new Set<i18n>();
let flowStrings: typeof flowsWebResources | undefined;

function addFlowStrings(instance: i18n, resources: typeof flowsWebResources): void {
  for (const l of ['zh-CN', 'en'] as const) {
    instance.addResourceBundle(l, 'flows', resources[l].flows, true, true);
  }
}

/**
 * One i18next instance with the ui, views and web namespaces, and of `flows` the menu's and the bell's
 * strings; the rest of `flows` comes with the first screen that needs it (`loadFlowStrings`).
 */
export function createAppI18n(locale: Locale): i18n {
  const instance = createI18n(locale);
  for (const l of ['zh-CN', 'en'] as const) {
    instance.addResourceBundle(l, 'web', webResources[l].web, true, true);
    instance.addResourceBundle(l, 'views', viewsResources[l].views, true, true);
    instance.addResourceBundle(l, 'flows', flowsNavResources[l].flows, true, true);
  }
  if (flowStrings) addFlowStrings(instance, flowStrings);
  instances.add(instance);
  return instance;
}

/**
 * Fetches the workflow screens' strings (a chunk of their own) and adds them to the `flows` namespace of
 * every instance. The lazy loaders of the workflow pages and the record page wait for it, so those screens
 * render with their strings in place; the list and the form never download them.
 */
export async function loadFlowStrings(): Promise<void> {
  if (!flowStrings) flowStrings = (await import('./pages/flows/strings.js')).flowsWebResources;
  for (const instance of instances) addFlowStrings(instance, flowStrings);
}

/** A lazy page's loader that also loads the workflow strings. */
export function withFlowStrings<T>(load: () => Promise<T>): () => Promise<T> {
  return () => Promise.all([load(), loadFlowStrings()]).then(([m]) => m);
}
