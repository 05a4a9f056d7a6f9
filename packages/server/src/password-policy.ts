import type { Issue } from '@formwork/metadata';

/**
 * The password policy: 8 to 1,024 characters; below 12 characters letters and digits; not the e-mail name;
 * not a well-known password.
 */
export const PASSWORD_MIN_LENGTH = 8;
/** From this length on, a password needs no digits (a passphrase). */
export const PASSPHRASE_LENGTH = 12;

const COMMON = new Set([
  'password1',
  'password123',
  'passw0rd',
  'qwerty123',
  '12345678a',
  'a12345678',
  'abc12345',
  'abcd1234',
  'iloveyou1',
  'admin123',
  'welcome1',
  'letmein1',
  '1qaz2wsx',
  'qwer1234',
  'woaini1314',
]);

/** The issues of a password against the policy (empty when it is acceptable). Never echoes the password. */
export function passwordIssues(password: string, email?: string, field = 'password'): Issue[] {
  const issues: Issue[] = [];
  const add = (code: string, zh: string, en: string) =>
    issues.push({ field, code, message: { 'zh-CN': zh, en } });
  if (password.length < PASSWORD_MIN_LENGTH || password.length > 1024)
    add(
      'minLength',
      `密码至少 ${PASSWORD_MIN_LENGTH} 个字符`,
      `The password needs at least ${PASSWORD_MIN_LENGTH} characters`,
    );
  // Short passwords need letters and digits; a long passphrase ("correct horse battery") is fine as is.
  if (password.length < PASSPHRASE_LENGTH && (!/\p{L}/u.test(password) || !/\p{Nd}/u.test(password)))
    add(
      'passwordPolicy',
      `少于 ${PASSPHRASE_LENGTH} 个字符的密码须同时包含字母和数字`,
      `A password shorter than ${PASSPHRASE_LENGTH} characters needs both letters and digits`,
    );
  const lower = password.toLowerCase();
  const local = email?.trim().toLowerCase().split('@')[0] ?? '';
  // The e-mail or its name, with or without digits around it ("zhangsan2024"), is guessed first.
  const bare = lower.replace(/\p{Nd}+/gu, '').replace(/[\s._@-]+/g, '');
  if (
    local &&
    (bare === local.replace(/[\s._-]+/g, '').replace(/\p{Nd}+/gu, '') ||
      lower === email?.trim().toLowerCase())
  )
    add('passwordPolicy', '密码不能是邮箱名', 'The password must not be the e-mail name');
  if (COMMON.has(lower)) add('passwordPolicy', '密码过于常见', 'The password is too common');
  return issues;
}
