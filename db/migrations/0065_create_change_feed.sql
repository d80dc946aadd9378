-- The change feed. `stream_events` becomes the outbox: writers (ingest's batch, the API's incident
-- and camera writes) insert their stream events in their own transaction, and every API process
-- reads it from a position (its `id`, which is also the SSE event id). NOTIFY on wardmap_changes
-- is only the wake-up. `recorded_at` is the database time of the write, for the time-bounded
-- retention (pruning keeps at most N rows and nothing older than the retention window).
ALTER TABLE stream_events ADD COLUMN IF NOT EXISTS recorded_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX IF NOT EXISTS stream_events_recorded_at_idx ON stream_events (recorded_at);

-- Leases for jobs that must run in one process at a time (the SLA escalation timer): the holder
-- renews `expires_at`; another process takes an expired lease over.
CREATE TABLE IF NOT EXISTS leases (
  name        text PRIMARY KEY,
  holder      text NOT NULL,
  expires_at  timestamptz NOT NULL
);
