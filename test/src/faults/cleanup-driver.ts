// A small program that starts what the fault suite starts (test/faults/infra.ts: a private
// PostgreSQL cluster, a Mosquitto and a node child process standing in for an ingest worker), prints
// one JSON line describing them, then ends as WARDMAP_DRIVER_END says: `wait` (until a signal),
// `throw` (an uncaught error) or `exit` (process.exit(0), as the suite ends). cleanup.test.ts checks
// that nothing it started outlives it.
import { cleanUpOnSignals, spawnNode, startBroker, startPgCluster } from '../../faults/infra.ts';

const SELF = 'test/src/faults/cleanup-driver.ts';

if (process.env.WARDMAP_DRIVER_IDLE === '1') {
  // The stand-in worker: alive until killed.
  console.log('idle');
  setInterval(() => {}, 60_000);
} else {
  cleanUpOnSignals();
  const pg = await startPgCluster();
  const broker = await startBroker();
  const worker = spawnNode(SELF, { WARDMAP_DRIVER_IDLE: '1' });
  await worker.waitFor(/idle/, 60_000);
  console.log(
    JSON.stringify({
      pgDir: pg.dir,
      pgPort: pg.port,
      mqDir: broker.dir,
      mqPort: broker.port,
      workerPid: worker.proc.pid,
    }),
  );
  const end = process.env.WARDMAP_DRIVER_END ?? 'wait';
  if (end === 'throw')
    setTimeout(() => {
      throw new Error('driver: an uncaught error');
    }, 50);
  else if (end === 'exit') setTimeout(() => process.exit(0), 50);
  else setInterval(() => {}, 60_000);
}
