/**
 * Per test file, before it runs (jest `setupFiles`):
 * - jest wraps console output in boxes with a stack line each; the suites print
 *   diagnostics (bundle sizes, benchmark tables, load reports) meant to be read
 *   as lines, so each file gets the plain console of the process;
 * - jest runs a file in a realm of its own while `fetch` is the host's, so
 *   `response.json()` would build host-realm objects, which node:assert's strict
 *   equality tells apart from the test's own (it compares prototypes). JSON
 *   bodies are parsed in the test's realm instead.
 */
import { Console } from 'node:console';

globalThis.console = new Console({ stdout: process.stdout, stderr: process.stderr });

const parse = JSON.parse;
Response.prototype.json = async function json(this: Response) {
  return parse(await this.text());
};
