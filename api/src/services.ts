import type { Db } from '@wardmap/db';
import { type Clock, systemClock } from '@wardmap/geo';
import { createEscalationTimer, type EscalationTimer } from './incidents/escalation.ts';
import { createStreamHub, type StreamHub } from './stream/hub.ts';

export interface ApiServices {
  /** Pass to `createApp({ stream })` so SSE clients share the started hub. */
  stream: StreamHub;
  escalation: EscalationTimer;
  /** Prometheus text for `createApp({ extraMetrics })`. */
  metrics(): string;
  stop(): Promise<void>;
}

/**
 * Starts the API's background parts: the live-stream hub (follows the change feed from a position,
 * woken by NOTIFY on `wardmap_changes`; every API process runs one) and the SLA escalation timer (`escalationIntervalMs` real ms;
 * default one clock minute, so `scaledClock` demos escalate on time). `stop()` ends both.
 */
export async function startApiServices(deps: {
  db: Db;
  clock?: Clock;
  escalationIntervalMs?: number;
  /** How long the escalation lease outlives its holder's last renewal (default: see escalation.ts). */
  escalationLeaseMs?: number;
  /** Change-feed poll interval of the stream hub, beside the NOTIFY wake-ups (default 1 s). */
  streamPollMs?: number;
  log?: (line: string) => void;
}): Promise<ApiServices> {
  const clock = deps.clock ?? systemClock;
  const stream = createStreamHub({
    db: deps.db,
    ...(deps.streamPollMs ? { pollMs: deps.streamPollMs } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  });
  await stream.start();
  const escalation = createEscalationTimer({
    db: deps.db,
    clock,
    ...(deps.escalationIntervalMs ? { intervalMs: deps.escalationIntervalMs } : {}),
    ...(deps.escalationLeaseMs ? { leaseMs: deps.escalationLeaseMs } : {}),
    ...(deps.log ? { log: deps.log } : {}),
  });
  escalation.start();
  return {
    stream,
    escalation,
    metrics() {
      const s = stream.stats();
      return [
        '# HELP wardmap_stream_events_total Change-feed events read and delivered by this process.',
        '# TYPE wardmap_stream_events_total counter',
        `wardmap_stream_events_total ${s.events}`,
        "# HELP wardmap_stream_feed_rows_read_total Change-feed rows fetched by this process (only its clients' areas, unless an admin stream is open).",
        '# TYPE wardmap_stream_feed_rows_read_total counter',
        `wardmap_stream_feed_rows_read_total ${s.rowsRead}`,
        '# HELP wardmap_stream_read_communities Communities the last feed read was filtered to (-1: the whole feed).',
        '# TYPE wardmap_stream_read_communities gauge',
        `wardmap_stream_read_communities ${s.scope === 'all' ? -1 : s.scope.communities}`,
        '# HELP wardmap_stream_subscribers Open SSE connections.',
        '# TYPE wardmap_stream_subscribers gauge',
        `wardmap_stream_subscribers ${s.subscribers}`,
        '# HELP wardmap_stream_notice_errors_total Failed reads of the change feed.',
        '# TYPE wardmap_stream_notice_errors_total counter',
        `wardmap_stream_notice_errors_total ${s.noticeErrors}`,
        '# HELP wardmap_incident_escalations_total Incidents escalated (or marked breached) by the SLA timer.',
        '# TYPE wardmap_incident_escalations_total counter',
        `wardmap_incident_escalations_total ${escalation.escalated}`,
        '',
      ].join('\n');
    },
    async stop() {
      await escalation.stop();
      await stream.stop();
    },
  };
}
