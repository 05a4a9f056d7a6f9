import type { I18nText, Locale, Message } from './types.js';

/** The other supported locale (used as the first fallback). */
function otherLocale(locale: Locale): Locale {
  return locale === 'zh-CN' ? 'en' : 'zh-CN';
}

/**
 * The text in `locale`; else in the other locale; else `fallback`.
 * A plain string is the same in every language.
 */
export function localize(text: I18nText | undefined, locale: Locale, fallback = ''): string {
  if (typeof text === 'string') return text === '' ? fallback : text;
  if (text === undefined || text === null || typeof text !== 'object') return fallback;
  const own = text[locale];
  if (typeof own === 'string' && own !== '') return own;
  const other = text[otherLocale(locale)];
  if (typeof other === 'string' && other !== '') return other;
  return fallback;
}

/** Both languages of an `I18nText`, each falling back as `localize` does. */
export function toMessage(text: I18nText | undefined, fallback: string): Message {
  return { 'zh-CN': localize(text, 'zh-CN', fallback), en: localize(text, 'en', fallback) };
}

/**
 * The locale to answer in, from an `Accept-Language` header (or a plain locale string).
 * The preferred language (highest q) that is Chinese gives `zh-CN`, English gives `en`; default `en`.
 */
export function resolveLocale(acceptLanguage: string | null | undefined): Locale {
  if (typeof acceptLanguage !== 'string' || acceptLanguage.length === 0) return 'en';
  const ranges = acceptLanguage
    .slice(0, 1000)
    .split(',')
    .map((part, index) => {
      const [tagPart = '', ...params] = part.trim().split(';');
      let q = 1;
      for (const p of params) {
        const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
        if (m?.[1] !== undefined) {
          const n = Number(m[1]);
          q = Number.isFinite(n) ? n : 0;
        }
      }
      return { tag: tagPart.trim().toLowerCase(), q, index };
    })
    .filter((r) => r.tag.length > 0 && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const r of ranges) {
    if (r.tag === 'zh' || r.tag.startsWith('zh-') || r.tag.startsWith('zh_')) return 'zh-CN';
    if (r.tag === 'en' || r.tag.startsWith('en-') || r.tag.startsWith('en_')) return 'en';
  }
  return 'en';
}

/** Build a message from a template in both languages: `msg('{0} 不能为空', '{0} is required')`. */
export function message(zh: string, en: string): Message {
  return { 'zh-CN': zh, en };
}
