/**
 * A job-runner process for runners.int.test.ts: runs `test.slow` jobs whose handler writes a row and then
 * sleeps inside the job's transaction, so the test can kill it with SIGKILL mid-job.
 */
import { openDb } from '@formwork/store';
import { JobRunner } from './runner.js';

const db = await openDb({ databaseUrl: process.env.CHILD_DATABASE_URL, poolSize: 2 });
const runner = new JobRunner({
  db,
  pollMs: 20,
  concurrency: 1,
  handlers: {
    async 'test.slow'(job, tx) {
      await tx.query('INSERT INTO public.kill_log (job_id, pid) VALUES ($1, $2)', [job.id, process.pid]);
      process.stdout.write(`running ${job.id}\n`);
      // Long enough to be killed in the middle; the killed backend gives up its row lock once the sleep ends.
      await tx.query('SELECT pg_sleep(2)');
      return { pid: process.pid };
    },
  },
});
runner.start();
