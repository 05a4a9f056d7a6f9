import { describe, expect, it } from 'vitest';
import { passwordIssues } from './password-policy.js';

describe('password policy', () => {
  it('accepts a long password with letters and digits', () => {
    expect(passwordIssues('admin-password-1', 'admin@example.com')).toEqual([]);
  });

  it('refuses short, letter-only, digit-only, common and e-mail-based passwords with bilingual messages', () => {
    expect(passwordIssues('ab1').map((i) => i.code)).toContain('minLength');
    expect(passwordIssues('onlyletters').map((i) => i.code)).toEqual(['passwordPolicy']);
    expect(passwordIssues('correct horse battery')).toEqual([]);
    expect(passwordIssues('1234567890').map((i) => i.code)).toEqual(['passwordPolicy']);
    expect(passwordIssues('Password123').map((i) => i.code)).toEqual(['passwordPolicy']);
    const mail = passwordIssues('zhangsan2024', 'zhangsan@example.com');
    expect(mail[0]?.message['zh-CN']).toContain('邮箱');
    expect(mail[0]?.message.en).toContain('e-mail');
  });

  it('never puts the password into a message', () => {
    const issues = passwordIssues('secretonly', 'a@b.c');
    expect(JSON.stringify(issues)).not.toContain('secretonly');
  });
});
