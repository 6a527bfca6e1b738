/**
 * One Lambda execution environment: a Node process started by local/runtime/pool.ts with
 * the function's environment, as the Lambda Node.js runtime starts it. It imports the
 * bundled handler (`_HANDLER` under `LAMBDA_TASK_ROOT`: the asset `cdk synth` wrote), says
 * it is ready (the INIT phase), then answers one invocation at a time over IPC.
 *
 * Plain JavaScript, run by plain `node`: what runs here is the artifact, not the sources.
 * While the parent asks for it, every AWS SDK call the function makes is reported through
 * the observer the Lambda code looks up (functions/aws/sdk.ts), tagged with the invocation.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const OBSERVER = Symbol.for('carpeta.aws-call-observer');
let tracing = false;
let current;
globalThis[OBSERVER] = (event) => {
  if (tracing && current) process.send?.({ type: 'aws-call', invocation: current, event });
};

function errorOf(e) {
  return {
    errorType: e?.name ?? 'Error',
    errorMessage: String(e?.message ?? e),
    stack: String(e?.stack ?? '')
      .split('\n')
      .slice(0, 8),
  };
}

async function loadHandler() {
  const root = process.env.LAMBDA_TASK_ROOT;
  const spec = process.env._HANDLER ?? 'index.handler';
  const dot = spec.lastIndexOf('.');
  const [moduleName, exportName] = [spec.slice(0, dot), spec.slice(dot + 1)];
  // As the Node.js runtime does: index.js, then index.mjs, then index.cjs.
  const file = ['.js', '.mjs', '.cjs'].map((ext) => path.join(root, moduleName + ext)).find((f) => existsSync(f));
  if (!file)
    throw Object.assign(new Error(`Cannot find module '${moduleName}' in ${root}`), {
      name: 'Runtime.ImportModuleError',
    });
  const mod = await import(pathToFileURL(file).href);
  const fn = mod[exportName] ?? mod.default?.[exportName];
  if (typeof fn !== 'function')
    throw Object.assign(new Error(`${spec} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return fn;
}

let handler;
try {
  const t0 = performance.now();
  handler = await loadHandler();
  process.send({ type: 'ready', initMs: performance.now() - t0 });
} catch (e) {
  process.send({ type: 'init-error', error: errorOf(e) });
  process.exit(1);
}

process.on('message', async (m) => {
  if (m?.type === 'trace') {
    tracing = !!m.on;
    return;
  }
  if (m?.type !== 'invoke') return;
  current = m.id;
  const deadline = Date.now() + m.timeoutMs;
  const context = {
    awsRequestId: m.id,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    invokedFunctionArn: m.functionArn,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    callbackWaitsForEmptyEventLoop: true,
  };
  try {
    const result = await handler(m.event, context);
    // JSON, as the runtime serializes a result; undefined becomes null.
    process.send({ type: 'result', id: m.id, payload: JSON.stringify(result ?? null) });
  } catch (e) {
    process.send({ type: 'error', id: m.id, error: errorOf(e) });
  } finally {
    current = undefined;
  }
});
