/**
 * The thread of one explorer worker (./parallel.ts starts it; ./worker-script.ts says how, from
 * sources or from dist/): builds a LevelExpander from workerData and answers each level request.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { LevelExpander, type LevelRequest, type WorkerExploreOptions } from './level-expander';
import type { SharedVisitedBuffers } from './shared-visited';

interface WorkerData {
  options: WorkerExploreOptions;
  table: SharedVisitedBuffers;
  ctl: SharedArrayBuffer;
  best: SharedArrayBuffer;
}

const port = parentPort;
if (port === null) throw new Error('src/explore/worker-main: run as a worker thread (src/explore/parallel.ts)');
const data = workerData as WorkerData;
try {
  const expander = new LevelExpander(data.options, data.table, new Int32Array(data.ctl), new BigInt64Array(data.best));
  port.on('message', (req: LevelRequest) => {
    try {
      const reply = expander.expandLevel(req);
      port.postMessage({ ok: true, reply }, [reply.parentPos.buffer as ArrayBuffer, reply.opIdx.buffer as ArrayBuffer, reply.slot.buffer as ArrayBuffer, reply.expandedPos.buffer as ArrayBuffer, reply.expandedOps.buffer as ArrayBuffer, reply.sharedAt.buffer as ArrayBuffer]);
    } catch (err) {
      port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
  port.postMessage({ ok: true, ready: true });
} catch (err) {
  port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
