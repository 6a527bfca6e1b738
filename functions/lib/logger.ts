/**
 * Structured JSON logs, one line per event, with the request id on every line.
 * Values under sensitive keys are replaced, and anything that looks like a
 * presigned URL or a bearer token is cut, so logs never carry a credential.
 */
const SENSITIVE = /token|password|authorization|secret|cookie|signature|credential|^url$|^fields$/i;

function scrub(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') {
    if (/X-Amz-Signature|X-Amz-Credential/i.test(value)) return '[presigned-url]';
    if (/^Bearer\s/i.test(value)) return '[token]';
    return value.length > 2000 ? `${value.slice(0, 2000)}…` : value;
  }
  if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1));
  if (value instanceof Error)
    return {
      name: value.name,
      message: String(scrub(value.message)),
      stack: value.stack?.split('\n').slice(0, 6).join('\n'),
    };
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = SENSITIVE.test(k) ? '[redacted]' : scrub(v, depth + 1);
    return out;
  }
  return value;
}

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(msg: string, data?: Record<string, unknown>): void;
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/** Where lines go; the local stack and tests may redirect it. */
export const logSink: { write: (line: string) => void } = { write: (line) => void process.stdout.write(`${line}\n`) };

export function createLogger(fields: Record<string, unknown> = {}): Logger {
  const min = order[(process.env.LOG_LEVEL as Level) ?? 'info'] ?? order.info;
  const emit = (level: Level, msg: string, data?: Record<string, unknown>) => {
    if (order[level] < min) return;
    logSink.write(
      JSON.stringify({
        level,
        time: new Date().toISOString(),
        msg,
        ...(scrub(fields) as object),
        ...(data ? (scrub(data) as object) : {}),
      }),
    );
  };
  return {
    debug: (m, d) => emit('debug', m, d),
    info: (m, d) => emit('info', m, d),
    warn: (m, d) => emit('warn', m, d),
    error: (m, d) => emit('error', m, d),
    child: (more) => createLogger({ ...fields, ...more }),
  };
}

export const logger = createLogger({ service: process.env.CARPETA_FUNCTION ?? 'carpeta' });
