/**
 * Worker threads running TypeScript: a worker does not inherit tsx's loader,
 * so it starts from a tiny script that imports the file through tsx's API.
 * Load generation and seeding run in workers so their CPU is not taken from
 * the event loop that serves the stack (the emulators and handlers share it).
 */
import { Worker } from 'node:worker_threads';

const tsxApi = import.meta.resolve('tsx/esm/api');

export function tsWorker(file: URL, workerData: unknown): Worker {
  const boot =
    `import(${JSON.stringify(tsxApi)}).then((m) => m.tsImport(${JSON.stringify(file.href)}, ` +
    `${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { eval: true, workerData });
}

/** Sends one message and waits for the reply (workers answer requests in order). */
export function ask<T>(worker: Worker, message: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { error?: string } & T) => {
      cleanup();
      if (m && typeof m === 'object' && 'error' in m && m.error) reject(new Error(m.error));
      else resolve(m);
    };
    const onError = (e: Error) => {
      cleanup();
      reject(e);
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(message);
  });
}
