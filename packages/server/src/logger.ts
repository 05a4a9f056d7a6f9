/**
 * A tiny structured logger: one JSON object per line. The server logs one line per request (method, path,
 * status, ms, requestId, userId) and the stack of unexpected errors. It never logs bodies, passwords, tokens
 * or Authorization headers — callers pass only the fields they mean to log.
 */
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(fields: LogFields): void;
  warn(fields: LogFields): void;
  error(fields: LogFields): void;
}

type Level = 'info' | 'warn' | 'error';

/** JSON lines to a writer (default: stdout). `now` is injectable for tests. */
export function createJsonLogger(
  write: (line: string) => void = (line) => process.stdout.write(line),
  now: () => Date = () => new Date(),
): Logger {
  const log = (level: Level, fields: LogFields): void => {
    let line: string;
    try {
      line = JSON.stringify({ level, time: now().toISOString(), ...fields });
    } catch {
      line = JSON.stringify({ level, time: now().toISOString(), msg: 'unserialisable log entry' });
    }
    write(`${line}\n`);
  };
  return {
    info: (f) => log('info', f),
    warn: (f) => log('warn', f),
    error: (f) => log('error', f),
  };
}

/** Discards everything (tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** Keeps entries in memory (tests that assert what is logged). */
export function createMemoryLogger(): Logger & { entries: Array<LogFields & { level: Level }> } {
  const entries: Array<LogFields & { level: Level }> = [];
  return {
    entries,
    info: (f) => entries.push({ level: 'info', ...f }),
    warn: (f) => entries.push({ level: 'warn', ...f }),
    error: (f) => entries.push({ level: 'error', ...f }),
  };
}
