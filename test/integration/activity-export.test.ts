/**
 * The activity CSV export handles any size page by page: 50,000 events come
 * back as one well-formed CSV (BOM, RFC 4180, formula-safe) while the process
 * holds at most one page of events and one 5 MiB part at a time.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';

const EVENTS = 50_000;

describe('activity export', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(() => t?.stop());

  it(`exports ${EVENTS.toLocaleString('en')} events as one CSV with flat memory`, async () => {
    const { db, table } = await import('../../functions/store/client.ts');
    const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { activityKeys } = await import('../../functions/store/keys.ts');
    const { ulid } = await import('../../functions/lib/ids.ts');
    // Seed straight into the table (as the benchmark does): one item per event in this month.
    const base = Date.now() - EVENTS;
    const items = Array.from({ length: EVENTS }, (_, i) => {
      const id = ulid(base + i);
      const at = new Date(base + i).toISOString();
      const evil = i === 7 ? '=HYPERLINK("http://evil")' : `Cliente ${i}, "Peña"`;
      return {
        ...activityKeys.event(at, id),
        id,
        at,
        type: 'download',
        actor: { kind: 'webuser', id: `u${i % 50}`, email: `u${i % 50}@example.com`, name: evil },
        target: { kind: 'file', id: `f${i}`, name: `Factura ñ ${i}.pdf` },
        ip: '127.0.0.1',
        userAgent: 'seed',
      };
    });
    for (let i = 0; i < items.length; i += 25 * 8) {
      await Promise.all(
        Array.from({ length: 8 }, (_, j) => items.slice(i + j * 25, i + j * 25 + 25))
          .filter((c) => c.length)
          .map(async (chunk) => {
            let pending: any[] | undefined = chunk.map((Item) => ({ PutRequest: { Item } }));
            while (pending?.length)
              pending = (await db.send(new BatchWriteCommand({ RequestItems: { [table()]: pending } })))
                .UnprocessedItems?.[table()] as any[] | undefined;
          }),
      );
    }
    const heapBefore = process.memoryUsage().heapUsed;
    const res = await t.api('GET', '/activity/export?lang=en', { token: await t.adminToken() });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.rows >= EVENTS);
    console.log(
      `export: ${res.body.rows} rows; heap before ${(heapBefore / 2 ** 20).toFixed(0)} MiB, after ` +
        `${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`,
    );
    const csv = await fetch(res.body.url);
    assert.equal(csv.status, 200);
    assert.match(
      csv.headers.get('content-disposition')!,
      /^attachment; filename="carpeta-activity-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    const bytes = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
    const text = bytes.toString('utf8').slice(1);
    const lines = text.split('\r\n').filter(Boolean);
    assert.equal(
      lines[0],
      '"Date and time (UTC)","What","Who","Email","Kind of person","On","Path","Kind","For","Version","IP",' +
        '"Browser","Event reference"',
    );
    assert.equal(lines.length - 1, res.body.rows);
    assert.ok(text.includes('"Cliente 8, ""Peña"""'), 'quoted per RFC 4180');
    assert.ok(text.includes(`"'=HYPERLINK(""http://evil"")"`), 'formula neutralised');
    assert.ok(text.includes('Factura ñ 49999.pdf'));
    // Newest first (the event's reference is the last column).
    const ids = lines.slice(1, 1000).map((l) => l.split(',').at(-1)!.replaceAll('"', ''));
    assert.deepEqual(ids, [...ids].sort().reverse());
    assert.ok(bytes.length > 5 * 1024 * 1024, 'big enough to need several parts');
  });

  it(
    'a user agent that smuggles a formula after ";" opens ' + 'as text, split as Excel splits in Spanish or English',
    async () => {
      const evil = "Mozilla;=cmd|' -C calc'!A0,+SUM(1)";
      const guess = await t.api('GET', '/share', { share: 'x'.repeat(43), headers: { 'user-agent': evil } });
      assert.equal(guess.status, 404);
      const res = await t.api('GET', '/activity/export?type=access.denied', { token: await t.adminToken() });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const text = (await (await fetch(res.body.url)).text()).replace(/^\uFEFF/, '');
      const line = text.split('\r\n').find((l) => l.includes('Mozilla'));
      assert.ok(line, 'the denial with that user agent is exported');
      // Excel splits at its list separator even inside quotes: no piece may start a formula.
      for (const sep of [';', ','])
        for (const cell of line.split(sep))
          assert.ok(!/^[\s"]*[=+\-@\t\r]/.test(cell), `"${sep}" gives a formula: ${cell}`);
    },
  );
});
