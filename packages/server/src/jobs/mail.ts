import type { Message } from '@formwork/metadata';
import type { Job } from '@formwork/store';
import nodemailer from 'nodemailer';
import { type ExternalHandler, PermanentJobError } from './runner.js';

/**
 * E-mail from the outbox (`mail.send` jobs) through SMTP configured by the environment:
 * `FORMWORK_SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…:465`; nodemailer's URL syntax) and
 * `FORMWORK_MAIL_FROM` (`Formwork <noreply@example.com>`). Recipients are member ids (sent to their
 * account's e-mail) or plain addresses. The subject is in `FORMWORK_MAIL_LOCALE` (zh-CN by default); the
 * body carries both languages.
 */

export interface MailConfig {
  smtpUrl: string;
  from: string;
  locale?: 'zh-CN' | 'en';
}

export function mailConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MailConfig | null {
  const smtpUrl = env.FORMWORK_SMTP_URL;
  if (!smtpUrl) return null;
  return {
    smtpUrl,
    from: env.FORMWORK_MAIL_FROM ?? 'Formwork <noreply@localhost>',
    locale: env.FORMWORK_MAIL_LOCALE === 'en' ? 'en' : 'zh-CN',
  };
}

const text = (m: Message | string | undefined, loc: 'zh-CN' | 'en') =>
  m === undefined ? '' : typeof m === 'string' ? m : (m[loc] ?? '');

/** The `mail.send` handler; without SMTP configured every mail job fails at once with that reason. */
export function mailHandler(
  config: MailConfig | null,
  emailsOf: (to: readonly string[]) => Promise<string[]>,
): ExternalHandler & { close(): void } {
  const transport = config ? nodemailer.createTransport(config.smtpUrl) : null;
  const handler = async (job: Job) => {
    if (!transport || !config)
      throw new PermanentJobError('SMTP is not configured (set FORMWORK_SMTP_URL and FORMWORK_MAIL_FROM)');
    const { to, subject, body } = job.payload as { to: string[]; subject: Message; body: Message };
    const addresses = await emailsOf(to);
    if (addresses.length === 0) return { sent: 0, reason: 'no recipient with an e-mail address' };
    const loc = config.locale ?? 'zh-CN';
    const other = loc === 'en' ? 'zh-CN' : 'en';
    const b1 = text(body, loc);
    const b2 = text(body, other);
    const info = await transport.sendMail({
      from: config.from,
      to: addresses,
      subject: text(subject, loc) || text(subject, other),
      text: b2 && b2 !== b1 ? `${b1}\n\n---\n\n${b2}` : b1,
      headers: { 'X-Formwork-Job': String(job.id) },
      // The same on a retry (delivery is at least once): mail clients and servers see a duplicate as one.
      messageId: `<formwork-job-${job.id}@${mailDomain(config.from)}>`,
    });
    return { sent: addresses.length, messageId: info.messageId };
  };
  return Object.assign(handler, { close: () => transport?.close() });
}

/** The domain of the sender address (`Formwork <noreply@acme.cn>` → `acme.cn`), for Message-IDs. */
function mailDomain(from: string): string {
  return /@([^\s>]+)/.exec(from)?.[1] ?? 'formwork.local';
}
