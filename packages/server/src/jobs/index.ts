import type { WorkflowRuntime } from '@formwork/store';
import type { Logger } from '../logger.js';
import { type MailConfig, mailConfigFromEnv, mailHandler } from './mail.js';
import { JobRunner, type JobRunnerOptions } from './runner.js';
import { type WebhookOptions, webhookHandler } from './webhook.js';

export { type MailConfig, mailConfigFromEnv, mailHandler } from './mail.js';
export { type ExternalHandler, JobRunner, type JobRunnerOptions, PermanentJobError } from './runner.js';
export { signWebhook, verifyWebhook, type WebhookOptions, webhookHandler } from './webhook.js';

export interface WorkflowRunnerOptions
  extends Partial<Omit<JobRunnerOptions, 'db' | 'handlers' | 'external'>> {
  /** SMTP settings (default: from FORMWORK_SMTP_URL / FORMWORK_MAIL_FROM). */
  mail?: MailConfig | null;
  webhook?: WebhookOptions;
  logger?: Logger;
}

/** The job runner with every workflow job kind: timers, automations, sub-flow events, e-mail, webhooks. */
export function createWorkflowRunner(runtime: WorkflowRuntime, opts: WorkflowRunnerOptions = {}): JobRunner {
  const { mail, webhook, ...rest } = opts;
  const mailer = mailHandler(mail === undefined ? mailConfigFromEnv() : mail, runtime.emailsOf);
  const runner = new JobRunner({
    ...rest,
    db: runtime.db,
    handlers: runtime.handlers,
    external: {
      'mail.send': mailer,
      'webhook.send': webhookHandler(runtime.db, webhook),
    },
  });
  const stop = runner.stop.bind(runner);
  runner.stop = async () => {
    await stop();
    mailer.close();
  };
  return runner;
}
