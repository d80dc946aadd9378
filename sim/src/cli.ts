// `npm run simulate`: the live demo simulator or load mode against any broker. The only sim file
// that reads argv and the environment.
import { scaledClock, systemClock } from '@wardmap/geo';
import { envVars, parseEnv } from '@wardmap/geo/config';
import { parseArgs, USAGE } from './args.ts';
import { runLoad } from './load.ts';
import { startSimulator } from './simulator.ts';

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const env = parseEnv(envVars('MQTT_URL', 'WARDMAP_MQTT_PORT', 'WARDMAP_ADMIN_TOKEN'));
  const mqttUrl = args.mqttUrl ?? env.MQTT_URL ?? `mqtt://127.0.0.1:${env.WARDMAP_MQTT_PORT}`;
  const token = env.WARDMAP_ADMIN_TOKEN;
  const username = args.username ?? (token ? 'admin' : undefined);
  const password = args.password ?? token;
  const creds = {
    ...(username !== undefined ? { username } : {}),
    ...(password !== undefined ? { password } : {}),
  };

  if (args.mode === 'load') {
    console.log(
      `load: ${args.rate} msg/s for ${args.duration} s to ${mqttUrl} (${args.patrollers} simulated patrollers)`,
    );
    const result = await runLoad({
      mqttUrl,
      ...creds,
      topicPrefix: args.topicPrefix,
      rate: args.rate,
      duration: args.duration,
      patrollers: args.patrollers,
      syntheticPeople: args.syntheticPeople,
      ...(args.mix ? { mix: args.mix } : {}),
      ...(args.connections ? { connections: args.connections } : {}),
      ...(args.log ? { logFile: args.log } : {}),
      seed: args.seed,
      onProgress: (p) =>
        console.log(
          `  ${p.elapsedS.toFixed(1)} s  sent ${p.sent}  acked ${p.acked}  in flight ${p.inflight}  ${p.rate} msg/s`,
        ),
    });
    const { perTopic, ...summary } = result;
    console.log(JSON.stringify({ ...summary, topics: Object.keys(perTopic).length }, null, 2));
    if (result.acked < result.sent) process.exitCode = 1;
    return;
  }

  const clock = args.speed === 1 ? systemClock : scaledClock(args.speed);
  const sim = await startSimulator({
    mqttUrl,
    ...creds,
    clock,
    seed: args.seed,
    topicPrefix: args.topicPrefix,
    intensity: args.intensity,
    // Without shared credentials each device logs in as itself, which `npm start`'s broker accepts.
    identities: args.identities ?? (username !== undefined ? 'shared' : 'per-actor'),
    ...(args.actorPassword ? { actorPassword: args.actorPassword } : {}),
    ...(args.apiUrl ? { apiUrl: args.apiUrl } : {}),
    ...(args.httpShare !== undefined ? { httpShare: args.httpShare } : {}),
    log: (line) => console.log(`sim: ${line}`),
  });
  console.log(`sim: publishing to ${mqttUrl}; Ctrl-C to stop`);
  const stop = async () => {
    await sim.stop();
    console.log(JSON.stringify(sim.stats().published));
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(2);
});
