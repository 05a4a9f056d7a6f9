/** Accept-Language → zh-CN or en (metadata's resolveLocale: the preferred language decides; default en). */
export { resolveLocale as localeFromHeader } from '@formwork/metadata';
