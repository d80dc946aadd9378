// Minimal Prometheus text exposition: counters, gauges and histograms with fixed buckets. The api
// appends `metrics()` output to its /metrics.

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '\\$&')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(by = 1, labels: Labels = {}): void {
    const key = labelText(labels);
    const cur = this.values.get(key) ?? { labels, value: 0 };
    cur.value += by;
    this.values.set(key, cur);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }
  total(): number {
    let t = 0;
    for (const v of this.values.values()) t += v.value;
    return t;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const { labels, value } of this.values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join('\n');
  }
}

export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => number,
  ) {}
  render(): string {
    return [
      `# HELP ${this.name} ${this.help}`,
      `# TYPE ${this.name} gauge`,
      `${this.name} ${this.read()}`,
    ].join('\n');
  }
}

export class Histogram {
  private readonly counts: number[];
  private sum = 0;
  private count = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {
    this.counts = buckets.map(() => 0);
  }
  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    for (let i = 0; i < this.buckets.length; i++)
      if (value <= (this.buckets[i] as number)) this.counts[i]! += 1;
  }
  snapshot(): { count: number; sum: number } {
    return { count: this.count, sum: this.sum };
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [i, b] of this.buckets.entries())
      lines.push(`${this.name}_bucket{le="${b}"} ${this.counts[i]}`);
    lines.push(
      `${this.name}_bucket{le="+Inf"} ${this.count}`,
      `${this.name}_sum ${this.sum}`,
      `${this.name}_count ${this.count}`,
    );
    return lines.join('\n');
  }
}

export interface IngestMetrics {
  received: Counter;
  stored: Counter;
  deadLettered: Counter;
  duplicates: Counter;
  deadLetterDuplicates: Counter;
  incidents: Counter;
  dbRetries: Counter;
  batchSplits: Counter;
  writeErrors: Counter;
  dropped: Counter;
  batchSize: Histogram;
  batchCommunities: Histogram;
  commitSeconds: Histogram;
  render(extra: Gauge[]): string;
}

/** The ingest metric set; names are prefixed `wardmap_ingest_`. */
export function createIngestMetrics(): IngestMetrics {
  const p = 'wardmap_ingest_';
  const m = {
    received: new Counter(`${p}messages_received_total`, 'MQTT messages received'),
    stored: new Counter(`${p}messages_stored_total`, 'Messages written (rows inserted or state applied)'),
    deadLettered: new Counter(
      `${p}messages_dead_lettered_total`,
      'Messages refused and kept in dead_letters, by stage',
    ),
    duplicates: new Counter(`${p}messages_duplicate_total`, 'Redelivered messages recognised and ignored'),
    deadLetterDuplicates: new Counter(
      `${p}dead_letters_duplicate_total`,
      'Refused messages redelivered after their dead letter was stored: not stored again',
    ),
    incidents: new Counter(
      `${p}incidents_created_total`,
      'Incidents opened from camera alerts and river issues',
    ),
    dbRetries: new Counter(
      `${p}db_retries_total`,
      'Batch writes retried because the database was unavailable',
    ),
    batchSplits: new Counter(
      `${p}batch_splits_total`,
      'Batches the database refused, split in halves to isolate the message it cannot store',
    ),
    writeErrors: new Counter(
      `${p}write_errors_total`,
      'Batch writes that failed for a reason other than the database being away, by kind (refused: SQL error; unexpected: likely a bug)',
    ),
    dropped: new Counter(
      `${p}messages_dropped_total`,
      'Messages acknowledged without being stored, not even as a dead letter (should stay 0)',
    ),
    batchSize: new Histogram(
      `${p}batch_size`,
      'Messages per committed batch',
      [1, 5, 10, 50, 100, 250, 500, 1000, 2000, 5000],
    ),
    batchCommunities: new Histogram(
      `${p}batch_communities`,
      'Communities one committed batch wrote to (each is a write turn other batches of it wait for)',
      [0, 1, 2, 4, 8, 16, 32, 64, 128],
    ),
    commitSeconds: new Histogram(
      `${p}commit_seconds`,
      'Time to write and commit one batch',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
  };
  return {
    ...m,
    render(extra) {
      return `${[...Object.values(m), ...extra].map((x) => x.render()).join('\n')}\n`;
    },
  };
}
