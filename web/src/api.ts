/**
 * The API client: JSON in and out, the access token as a Bearer, one retry
 * after refreshing the token on a 401, and every failure as an ApiError with
 * the API's error shape { error: { code, message, field? } }.
 */
import { accessToken, refresh, signOut } from './auth.ts';
import { getConfig } from './config.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** For a 400: the rule the field broke (too_long, code_wrong...). */
    readonly rule?: string,
  ) {
    super(message);
  }
}

export interface ApiOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  /** Send the access token (default true). Share links and invitations do not. */
  auth?: boolean;
  /** A share link's token: sent in the X-Share-Token header, never in the URL (logs record URLs). */
  share?: string;
  signal?: AbortSignal;
}

export function apiUrl(path: string, query?: ApiOptions['query']): string {
  const base = getConfig().apiUrl.replace(/\/$/, '');
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const q = qs.toString();
  return `${base}${path}${q ? `?${q}` : ''}`;
}

/** Encode one path segment taken from data (ids, tokens). */
export const seg = (s: string): string => encodeURIComponent(s);

async function once(path: string, opts: ApiOptions, token: string | undefined): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.share) headers['x-share-token'] = opts.share;
  try {
    return await fetch(apiUrl(path, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
      cache: 'no-store',
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
}

export async function api<T = unknown>(path: string, opts: ApiOptions = {}): Promise<T> {
  const useAuth = opts.auth !== false;
  let token = useAuth ? await accessToken() : undefined;
  let res = await once(path, opts, token);
  if (res.status === 401 && useAuth && token) {
    if (await refresh()) {
      token = await accessToken();
      res = await once(path, opts, token);
    }
    if (res.status === 401) signOut();
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = (data as { error?: { code?: string; message?: string; field?: string; rule?: string } } | undefined)
      ?.error;
    // An admin page asked with a session from before two-step verification was turned on: sign in again.
    if (res.status === 403 && e?.code === 'mfa_sign_in_again') signOut('mfa-sign-in-again');
    throw new ApiError(res.status, e?.code ?? httpCode(res.status), e?.message ?? res.statusText, e?.field, e?.rule);
  }
  return data as T;
}

/** A non-JSON answer (CSV, PDF) as a Blob, with the same auth and errors as api(). */
export async function apiBlob(path: string, query?: ApiOptions['query']): Promise<Blob> {
  let token = await accessToken();
  const get = () =>
    fetch(apiUrl(path, query), { headers: token ? { authorization: `Bearer ${token}` } : {}, cache: 'no-store' });
  let res: Response;
  try {
    res = await get();
    if (res.status === 401 && token && (await refresh())) {
      token = await accessToken();
      res = await get();
    }
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
  if (!res.ok) {
    const e = (
      (await res.json().catch(() => undefined)) as
        | { error?: { code?: string; message?: string; field?: string } }
        | undefined
    )?.error;
    throw new ApiError(res.status, e?.code ?? httpCode(res.status), e?.message ?? res.statusText, e?.field);
  }
  return res.blob();
}

function httpCode(status: number): string {
  if (status === 404) return 'not_found';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  if (status === 413) return 'too_large';
  if (status >= 500) return 'unavailable';
  return 'invalid';
}
