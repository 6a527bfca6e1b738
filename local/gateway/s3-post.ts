/**
 * Browser uploads with an S3 POST policy (a presigned POST), checked as S3
 * checks them before it stores anything: the policy's signature with the
 * signer's key, its expiration, and every condition (exact matches, `eq`,
 * `starts-with`, `content-length-range`), every form field covered by a
 * condition, and a declared `x-amz-checksum-sha256` equal to the file's.
 */
import { createHash } from 'node:crypto';
import Busboy from 'busboy';
import { type Principal, parseAmzDate, parseCredential, postPolicySignature, signaturesEqual } from './sigv4.ts';

export interface PostForm {
  /** Form fields by lower-cased name (S3 compares field names without case), in the order sent. */
  fields: Map<string, string>;
  file?: { bytes: Buffer; contentType: string; name: string };
  /** Fields after the file (S3 ignores them; their presence is an error here for clarity). */
  late: string[];
}

export function parsePostForm(body: Buffer, contentType: string): Promise<PostForm> {
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string>();
    const late: string[] = [];
    let file: PostForm['file'];
    let bb: Busboy.Busboy;
    try {
      bb = Busboy({ headers: { 'content-type': contentType }, limits: { fieldSize: 1024 * 1024, files: 1 } });
    } catch (e) {
      reject(e);
      return;
    }
    bb.on('field', (name, value) => {
      if (file) late.push(name);
      else fields.set(name.toLowerCase(), value);
    });
    bb.on('file', (_name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        file = { bytes: Buffer.concat(chunks), contentType: info.mimeType, name: info.filename ?? '' };
      });
    });
    bb.on('error', reject);
    bb.on('close', () => resolve({ fields, file, late }));
    bb.end(body);
  });
}

export type PostCheck =
  | {
      ok: true;
      key: string;
      principal: Principal;
      signedAt: Date;
      contentType?: string;
      metadata: Record<string, string>;
    }
  | { ok: false; status: number; code: string; message: string; extra?: Record<string, string> };

const denied = (message: string): PostCheck => ({ ok: false, status: 403, code: 'AccessDenied', message });
const NOT_COVERED = new Set(['x-amz-signature', 'file', 'policy']);

/** Checks one POST upload to `bucket` against its policy; `lookup` finds the signer's credentials. */
export function checkPostPolicy(
  form: PostForm,
  bucket: string,
  lookup: (accessKeyId: string) => Principal | undefined,
  now = new Date(),
): Promise<PostCheck> | PostCheck {
  const f = (k: string) => form.fields.get(k);
  if (!form.file)
    return {
      ok: false,
      status: 400,
      code: 'InvalidArgument',
      message: 'POST requires exactly one file upload per request.',
    };
  if (form.late.length)
    return {
      ok: false,
      status: 400,
      code: 'InvalidArgument',
      message: `Bucket POST must contain the file as the last field; found ${form.late.join(', ')} after it.`,
    };
  const key = f('key');
  if (!key)
    return {
      ok: false,
      status: 400,
      code: 'InvalidArgument',
      message: "Bucket POST must contain a field named 'key'.",
    };
  const policy = f('policy');
  if (!policy) return denied('Anonymous POST uploads are not allowed on this bucket.');
  if (f('x-amz-algorithm') !== 'AWS4-HMAC-SHA256')
    return {
      ok: false,
      status: 400,
      code: 'InvalidArgument',
      message: 'Bucket POST must contain x-amz-algorithm AWS4-HMAC-SHA256.',
    };
  const scope = parseCredential(f('x-amz-credential'));
  const signedAt = parseAmzDate(f('x-amz-date'));
  if (!scope || !signedAt)
    return { ok: false, status: 400, code: 'InvalidArgument', message: 'x-amz-credential or x-amz-date is malformed.' };
  const principal = lookup(scope.accessKeyId);
  if (!principal)
    return {
      ok: false,
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist in our records.',
      extra: { AWSAccessKeyId: scope.accessKeyId },
    };
  if (f('x-amz-security-token') !== principal.sessionToken)
    return {
      ok: false,
      status: 403,
      code: 'InvalidToken',
      message: 'The provided token is malformed or otherwise invalid.',
    };
  return postPolicySignature(principal, signedAt, scope.region, scope.service, policy).then((expected: string) => {
    if (!signaturesEqual(expected, f('x-amz-signature') ?? '')) {
      return {
        ok: false,
        status: 403,
        code: 'SignatureDoesNotMatch',
        message:
          'The request signature we calculated does not match the signature you provided. Check your key and ' +
          'signing method.',
      } as PostCheck;
    }
    let doc: { expiration?: string; conditions?: unknown[] };
    try {
      doc = JSON.parse(Buffer.from(policy, 'base64').toString('utf8'));
    } catch {
      return {
        ok: false,
        status: 400,
        code: 'InvalidPolicyDocument',
        message: 'Invalid Policy: Invalid JSON.',
      } as PostCheck;
    }
    const expiration = Date.parse(doc.expiration ?? '');
    if (!Number.isFinite(expiration))
      return {
        ok: false,
        status: 400,
        code: 'InvalidPolicyDocument',
        message: 'Invalid Policy: Policy missing expiration.',
      } as PostCheck;
    if (expiration < now.getTime()) return denied('Invalid according to Policy: Policy expired.');
    return conditionsHold(form, bucket, key, doc.conditions ?? [], principal, signedAt);
  });
}

function conditionsHold(
  form: PostForm,
  bucket: string,
  key: string,
  conditions: unknown[],
  principal: Principal,
  signedAt: Date,
): PostCheck {
  const value = (name: string) => (name === 'bucket' ? bucket : form.fields.get(name));
  const covered = new Set<string>();
  const failed = (c: unknown) => denied(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(c)}`);
  const size = form.file!.bytes.length;
  for (const c of conditions) {
    if (Array.isArray(c)) {
      const [op, a, b] = c as [string, unknown, unknown];
      if (op === 'content-length-range') {
        const [min, max] = [Number(a), Number(b)];
        if (size > max)
          return {
            ok: false,
            status: 400,
            code: 'EntityTooLarge',
            message: 'Your proposed upload exceeds the maximum allowed size',
            extra: { ProposedSize: String(size), MaxSizeAllowed: String(max) },
          };
        if (size < min)
          return {
            ok: false,
            status: 400,
            code: 'EntityTooSmall',
            message: 'Your proposed upload is smaller than the minimum allowed size',
            extra: { ProposedSize: String(size), MinSizeAllowed: String(min) },
          };
        continue;
      }
      const name = String(a).replace(/^\$/, '').toLowerCase();
      covered.add(name);
      const v = value(name);
      if (op === 'eq' && v !== String(b)) return failed(c);
      if (op === 'starts-with' && (v === undefined || !v.startsWith(String(b)))) return failed(c);
      if (op !== 'eq' && op !== 'starts-with')
        return {
          ok: false,
          status: 400,
          code: 'InvalidPolicyDocument',
          message: `Invalid Policy: Invalid condition operator ${op}.`,
        };
    } else if (c && typeof c === 'object') {
      for (const [k, expected] of Object.entries(c)) {
        const name = k.toLowerCase();
        covered.add(name);
        if (value(name) !== String(expected)) return failed(c);
      }
    }
  }
  for (const name of form.fields.keys()) {
    if (!NOT_COVERED.has(name) && !name.startsWith('x-ignore-') && !covered.has(name)) {
      return denied(`Invalid according to Policy: Extra input fields: ${name}`);
    }
  }
  const declared = form.fields.get('x-amz-checksum-sha256');
  if (declared !== undefined) {
    const actual = createHash('sha256').update(form.file!.bytes).digest('base64');
    if (actual !== declared)
      return {
        ok: false,
        status: 400,
        code: 'BadDigest',
        message: 'The sha256 you specified did not match the calculated checksum.',
      };
  }
  const metadata: Record<string, string> = {};
  for (const [k, v] of form.fields) if (k.startsWith('x-amz-meta-')) metadata[k] = v;
  return { ok: true, key, principal, signedAt, contentType: form.fields.get('content-type'), metadata };
}
