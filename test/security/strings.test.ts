/**
 * Issue 8, attack cases 6 and 7: names and strings, and Content-Disposition.
 * - Folder and file names with path traversal, NUL and control characters,
 *   RTL override, 256+ characters: refused with 400 naming the field; double
 *   extensions, HTML/script, `%2e%2e`: stored exactly as typed (they are just
 *   names) and never part of an S3 key (`files/<ulid>/<ulid>`).
 * - Person names and "Send by email" messages with HTML: escaped in the sent
 *   mail's HTML (checked tag by tag), no header breaks in subjects; control and
 *   text-direction characters in person names are refused.
 * - Downloads: names with quotes, CR/LF, `;`, non-ASCII give a safe, correctly
 *   encoded header on the real S3 response; HTML, SVG and unknown types are never inline.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { assertErrorShape } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { invitationToken, makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';
import { download } from '../support/upload.ts';

const KEY = /^files\/[0-9A-HJKMNP-TV-Z]{26}\/[0-9A-HJKMNP-TV-Z]{26}$/;

/** Every tag in a sent mail is one the templates write, and no attribute is an event handler or a script URL. */
function assertInertHtml(html: string, what: string): void {
  const allowed = new Set(['html', 'head', 'meta', 'body', 'div', 'p', 'strong', 'a', 'br', 'blockquote', 'img']);
  for (const m of html.matchAll(/<\/?([a-zA-Z][\w-]*)([^>]*)>/g)) {
    assert.ok(allowed.has(m[1].toLowerCase()), `${what}: unexpected <${m[1]}> in the mail`);
    assert.ok(!/\son\w+\s*=/i.test(m[2]), `${what}: event handler attribute in <${m[1]}${m[2]}>`);
    assert.ok(!/javascript:/i.test(m[2]), `${what}: javascript: URL in <${m[1]}>`);
  }
  assert.ok(!/<!doctype html>[\s\S]*<!doctype/i.test(html));
  assert.ok(!/<script|<img src=x|<svg|<iframe/i.test(html), `${what}: raw markup from user input`);
}

/** RFC 6266: `attachment|inline; filename="<printable ASCII without " \ ;>"; filename*=UTF-8''<pct-encoded>`. */
function parseDisposition(header: string | null): { type: string; fallback: string; name: string } {
  assert.ok(header, 'a Content-Disposition header');
  assert.ok(!/[\r\n]/.test(header), 'no line breaks');
  assert.ok(/^[\x20-\x7e]+$/.test(header), `ASCII only: ${header}`);
  const m = /^(attachment|inline); filename="([^"\\;]*)"; filename\*=UTF-8''([A-Za-z0-9!#$&+.^_`|~%-]+)$/.exec(header);
  assert.ok(m, `well-formed: ${header}`);
  return { type: m[1], fallback: m[2], name: decodeURIComponent(m[3]) };
}

describe('security: names, strings and Content-Disposition (cases 6 and 7)', () => {
  let t: TestStack;
  let staff: string;
  let folderId: string;
  let client: { id: string; token: string };

  beforeAll(async () => {
    t = await startTestStack({ RATE_LIMIT_FAILURES: '100000' });
    staff = await t.adminToken();
    folderId = (await makeFolder(t, staff, 'Nombres')).id;
    client = await makeClient(t, staff, [folderId]);
  });
  afterAll(() => t?.stop());

  const refused: Array<[string, string]> = [
    ['../etc/passwd', 'path traversal'],
    ['..\\..\\boot.ini', 'backslash traversal'],
    ['a/b.pdf', 'a slash'],
    ['..', 'dot-dot'],
    ['.', 'dot'],
    ['a\u0000b.pdf', 'NUL'],
    ['a\u0007b.pdf', 'BEL'],
    ['a\r\nContent-Type: text/html.pdf', 'CR/LF'],
    ['a\tb.pdf', 'tab'],
    ['a\u0085b.pdf', 'C1 control (NEL)'],
    ['factura\u202Efdp.exe', 'RTL override'],
    ['\u2066x\u2069.pdf', 'bidi isolate'],
    ['x'.repeat(256), '256 characters'],
    ['ñ'.repeat(300), '300 non-ASCII characters'],
    ['   ', 'blank'],
    ['lone\uD800.pdf', 'a lone surrogate'],
    ['\uDC00x.pdf', 'a lone low surrogate'],
    ['fac\u200Btura.pdf', 'zero-width space'],
    ['fac\u200Dtura.pdf', 'zero-width joiner'],
    ['a\u200Eb.pdf', 'left-to-right mark'],
    ['a\u200Fb.pdf', 'right-to-left mark'],
    ['a\u061Cb.pdf', 'Arabic letter mark'],
    ['\uFEFFfactura.pdf', 'byte-order mark'],
    ['fac\u00ADtura.pdf', 'soft hyphen'],
  ];
  /** The rule each refusal names, for the site to explain it in the user's language. */
  const RULES = new Set(['slash', 'dot', 'control', 'direction', 'too_long', 'empty', 'malformed', 'invisible']);
  const stored: Array<[string, string]> = [
    ['%2e%2e%2f%2e%2e%2fetc', 'encoded traversal is just text'],
    ['factura.pdf.exe', 'double extension'],
    ['<script>alert(1)<script>.pdf', 'HTML in a name'],
    ['<svg onload=alert(1)>', 'SVG markup in a name'],
    ['<img src=x onerror=alert(1)>', 'HTML attribute injection'],
    ['x'.repeat(255), '255 characters (the limit)'],
    ['Informe "final"; v2 ñ €.pdf', 'quotes, semicolon, non-ASCII'],
    ['日本語 ファイル.pdf', 'CJK'],
    ['👩‍⚕️ radiografía.png', 'emoji'],
    ['${7*7}{{7*7}}.pdf', 'template syntax'],
  ];

  it(
    'refuses dangerous folder and file names with 400 naming ' + 'the field, on create, upload, rename and restore',
    async () => {
      const file = await makeFile(t, staff, folderId, 'renombrar.pdf');
      for (const [name, why] of refused) {
        const attempts = [
          await t.api('POST', '/folders', { token: staff, body: { parentId: folderId, name } }),
          await t.api('POST', `/folders/${folderId}/files`, {
            token: staff,
            body: { name, size: 1, contentType: 'application/pdf' },
          }),
          await t.api('PATCH', `/files/${file.id}`, { token: staff, body: { name, version: 1 } }),
          await t.api('PATCH', `/folders/${folderId}`, { token: staff, body: { name, version: 1 } }),
        ];
        for (const res of attempts) {
          assert.equal(res.status, 400, `${why}: ${res.status} ${JSON.stringify(res.body)}`);
          assertErrorShape(res.status, res.body, why);
          assert.equal(res.body.error.field, 'name', why);
          assert.ok(RULES.has(res.body.error.rule), `${why}: the rule is named (${res.body.error.rule})`);
        }
      }
    },
  );

  it('a content type must be a media type: CR/LF, U+2028 and other junk are 400', async () => {
    for (const contentType of [
      'text/plain\r\nX-Injected: 1',
      'text/plain\u2028x',
      'text/plain; charset=utf-8\nx',
      'pdf',
      'application/pdf; charset',
      'a b/c',
    ]) {
      const res = await t.api('POST', `/folders/${folderId}/files`, {
        token: staff,
        body: { name: 'tipo.pdf', size: 1, contentType },
      });
      assert.equal(res.status, 400, JSON.stringify(contentType));
      assert.equal(res.body.error.field, 'contentType');
    }
    for (const contentType of [
      'application/pdf',
      'text/plain; charset=utf-8',
      'text/plain;charset="utf-8"',
      'image/svg+xml',
    ]) {
      const res = await t.api('POST', `/folders/${folderId}/files`, {
        token: staff,
        body: { name: `ok-${contentType.length}.bin`, size: 1, contentType },
      });
      assert.equal(res.status, 201, `${contentType}: ${JSON.stringify(res.body)}`);
    }
  });

  it(
    'a file stored with a lone surrogate before the rule ' + '(written directly) downloads, and its event means a URL',
    async () => {
      const client = await makeClient(t, staff, [folderId]);
      const file = await makeFile(t, staff, folderId, 'antes.pdf');
      const nodes = await import('../../functions/store/nodes.ts');
      const node = (await nodes.getFile(file.id))!;
      await nodes.updateNode(
        { ...node, name: 'lone\uD800.pdf' },
        node.version,
        { name: 'lone\uD800.pdf' },
        new Date().toISOString(),
      );
      const dl = await t.api('GET', `/portal/files/${file.id}/download`, { token: client.token });
      assert.equal(dl.status, 200, JSON.stringify(dl.body));
      assert.ok(dl.body.url);
      const got = await download(dl.body.url);
      assert.equal(got.status, 200);
      assert.match(got.headers.get('content-disposition')!, /filename\*=UTF-8''lone%EF%BF%BD\.pdf$/);
    },
  );

  it('stores odd but harmless names exactly as typed, never in an S3 key', async () => {
    // Names are unique per folder across files and folders: the folders go one level down.
    const folders = await makeFolder(t, staff, 'Carpetas', folderId);
    for (const [name, why] of stored) {
      const folder = await t.api('POST', '/folders', { token: staff, body: { parentId: folders.id, name } });
      assert.equal(folder.status, 201, `${why}: ${JSON.stringify(folder.body)}`);
      assert.equal(folder.body.name, name.normalize('NFC'), `${why}: folder name stored as typed`);
      const start = await t.api('POST', `/folders/${folderId}/files`, {
        token: staff,
        body: { name, size: 5, contentType: 'application/pdf' },
      });
      assert.equal(start.status, 201, `${why}: ${JSON.stringify(start.body)}`);
      assert.equal(start.body.file.name, name.normalize('NFC'));
      assert.match(start.body.upload.fields.key, KEY, `${why}: the S3 key is server-made`);
      assert.ok(start.body.upload.fields.key.endsWith(`${start.body.file.id}/${start.body.versionId}`));
      assert.ok(
        !JSON.stringify(start.body.upload.fields).includes(name.slice(0, 8)) || /^x+$/.test(name),
        `${why}: the name is nowhere in the upload fields`,
      );
    }
    // The client sees them exactly as stored, inside JSON (the site renders them as text).
    const listing = await t.api('GET', `/portal/folders/${folders.id}`, { token: client.token });
    for (const [name] of stored)
      assert.ok(
        listing.body.folders.some((f: any) => f.name === name.normalize('NFC')),
        name,
      );
    const files = await t.api('GET', `/portal/folders/${folderId}`, { token: client.token });
    for (const [name] of stored)
      assert.ok(
        !files.body.files.some((f: any) => f.name === name.normalize('NFC')),
        `${name}: never completed, so not listed`,
      );
  });

  it(
    'person names and messages: HTML is inert in every ' + 'mail, subjects stay one line, controls are refused',
    async () => {
      const evilFolder = await makeFolder(t, staff, '<script>alert("f")<script> & «Co»', folderId);
      const name = '<b onmouseover=alert(1)>Juan</b> & "Ana"';
      const message =
        'Hola <img src=x onerror=alert(1)>\n\n<a href="javascript:alert(1)">clic</a>\r\nBcc: ' +
        'victim@example.com\n<script>alert(2)</script>';
      const sent = await t.api('POST', `/folders/${evilFolder.id}/send`, {
        token: staff,
        body: { email: 'mail-evil@example.com', name, message },
      });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      const linkMail = (await t.mail()).find((m) => m.to.includes('mail-evil@example.com'))!;
      assertInertHtml(linkMail.html, 'link mail');
      assert.ok(
        linkMail.html.includes('&lt;script&gt;alert(&quot;f&quot;)&lt;script&gt;'),
        'the folder name is escaped',
      );
      assert.ok(linkMail.html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the message is escaped');
      assert.ok(!/[\r\n]/.test(linkMail.subject), 'one-line subject');
      assert.deepEqual(linkMail.to, ['mail-evil@example.com'], 'no extra recipient');

      const wu = await t.api('POST', '/webusers', {
        token: staff,
        body: { email: 'html-name@example.com', name, folderIds: [evilFolder.id] },
      });
      assert.equal(wu.status, 201, JSON.stringify(wu.body));
      const invite = (await t.mail()).find((m) => m.to.includes('html-name@example.com'))!;
      assertInertHtml(invite.html, 'invitation');
      assert.ok(invite.html.includes('&lt;b onmouseover=alert(1)&gt;Juan&lt;/b&gt; &amp; &quot;Ana&quot;'));
      const grant = await t.api('PUT', `/folders/${evilFolder.id}/grants/${client.id}`, {
        token: staff,
        body: { notify: true },
      });
      assert.equal(grant.status, 200);
      const shared = (await t.mail()).find(
        (m) => m.to.some((x) => x.startsWith('cliente-')) && /compartido|shared/.test(m.subject),
      )!;
      assert.ok(shared, 'the folder-shared mail');
      assertInertHtml(shared.html, 'folder shared');
      assert.ok(!/[\r\n]/.test(shared.subject));

      // Control and text-direction characters are refused in person names (they could disguise who is who).
      for (const bad of ['Ana\u0000', 'Ana\r\nBcc: x@example.com', 'Ana\u202Egnp.exe', 'Ana\u0007']) {
        const a = await t.api('POST', '/webusers', { token: staff, body: { email: 'ctl@example.com', name: bad } });
        assert.equal(a.status, 400, `webuser name ${JSON.stringify(bad)}: ${JSON.stringify(a.body)}`);
        assert.equal(a.body.error.field, 'name');
        const b = await t.api('POST', `/folders/${folderId}/send`, {
          token: staff,
          body: { email: 'ctl@example.com', name: bad },
        });
        assert.equal(b.status, 400, `link name ${JSON.stringify(bad)}`);
        assert.equal(b.body.error.field, 'name');
        const c = await t.api('PATCH', `/webusers/${client.id}`, { token: staff, body: { name: bad } });
        assert.equal(c.status, 400, `rename ${JSON.stringify(bad)}`);
      }
      const nul = await t.api('POST', `/folders/${folderId}/send`, {
        token: staff,
        body: { email: 'ctl@example.com', message: 'hola\u0000' },
      });
      assert.equal(nul.status, 400, 'NUL in a message');
      assert.equal(nul.body.error.field, 'message');
      assert.ok(!(await t.mail()).some((m) => m.to.includes('ctl@example.com')), 'nothing was sent for refused input');
    },
  );

  it('emails with header tricks are refused', async () => {
    for (const email of [
      'a@example.com\r\nBcc: b@example.com',
      'a@example.com,b@example.com',
      '"a"@example.com <b@example.com>',
      'a@example.com\u0000',
    ]) {
      const res = await t.api('POST', `/folders/${folderId}/send`, { token: staff, body: { email } });
      assert.equal(res.status, 400, JSON.stringify(email));
      assert.equal(res.body.error.field, 'email');
    }
  });

  it('Content-Disposition on the real S3 response is safe and encoded; only PDF and images are inline', async () => {
    const cases: Array<{ name: string; type: string; inlineOk: boolean }> = [
      { name: 'Informe "final".pdf', type: 'application/pdf', inlineOk: true },
      { name: 'a;b=c; filename=evil.html', type: 'application/pdf', inlineOk: true },
      { name: 'Declaración ñ € 日本.pdf', type: 'application/pdf', inlineOk: true },
      { name: "it's 100% (sure)*.png", type: 'image/png', inlineOk: true },
      { name: 'página.html', type: 'text/html', inlineOk: false },
      { name: 'page.html', type: 'text/html; charset=utf-8', inlineOk: false },
      { name: 'logo.svg', type: 'image/svg+xml', inlineOk: false },
      { name: 'datos.bin', type: 'application/x-unknown', inlineOk: false },
      { name: 'script.js', type: 'text/javascript', inlineOk: false },
      { name: 'x.xml', type: 'application/xml', inlineOk: false },
    ];
    const sentTo = 'cd-holder@example.com';
    await t.api('POST', `/folders/${folderId}/send`, { token: staff, body: { email: sentTo } });
    const link = await shareToken(t, sentTo);
    for (const c of cases) {
      const f = await makeFile(
        t,
        staff,
        folderId,
        c.name,
        new TextEncoder().encode('<script>alert(1)</script>'),
        c.type,
      );
      for (const disposition of ['attachment', 'inline']) {
        for (const [who, res] of [
          [
            'portal',
            await t.api('GET', `/portal/files/${f.id}/download?disposition=${disposition}`, { token: client.token }),
          ],
          ['link', await t.api('GET', `/share/files/${f.id}/download?disposition=${disposition}`, { share: link })],
          ['staff', await t.api('GET', `/files/${f.id}/download?disposition=${disposition}`, { token: staff })],
        ] as const) {
          assert.equal(res.status, 200, `${who} ${c.name}`);
          const got = await download(res.body.url);
          assert.equal(got.status, 200);
          const d = parseDisposition(got.headers.get('content-disposition'));
          assert.equal(d.name, c.name, `${who} ${c.name}: the exact name in filename*`);
          const inline = disposition === 'inline' && c.inlineOk;
          assert.equal(d.type, inline ? 'inline' : 'attachment', `${who} ${c.name} ${disposition}`);
          const ct = got.headers.get('content-type') ?? '';
          if (!inline) assert.equal(ct.split(';')[0], 'application/octet-stream', `${who} ${c.name}: never rendered`);
          assert.ok(!/html|svg|javascript|xml/i.test(ct), `${who} ${c.name}: content-type ${ct}`);
        }
      }
    }
  });

  it('an invitation token with traversal or odd characters finds nothing', async () => {
    const email = 'str-invite@example.com';
    assert.equal((await t.api('POST', '/webusers', { token: staff, body: { email, name: 'Str' } })).status, 201);
    const real = await invitationToken(t, email);
    for (const token of [
      `../${real}`,
      `${real}\u0000`,
      real.toUpperCase() === real ? real.toLowerCase() : real.toUpperCase(),
      `${real}%00`,
      ' '.repeat(43),
    ]) {
      const res = await t.api('POST', '/auth/invitations/accept', { body: { token, password: 'Segura-Clave-123!' } });
      assert.equal(res.status, 404, JSON.stringify(token));
    }
    assert.equal(
      (await t.api('POST', '/auth/invitations/accept', { body: { token: real, password: 'Segura-Clave-123!' } }))
        .status,
      200,
    );
  });
});
