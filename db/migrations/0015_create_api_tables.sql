-- Tables the API owns: login tokens, police-post shift handover notes, and the persisted live
-- stream (so SSE clients resume by Last-Event-ID across API restarts).

-- Bearer tokens are random 256-bit values; only their SHA-256 is stored, so a leaked table
-- cannot be replayed. A slow hash is unnecessary for tokens of that entropy.
CREATE TABLE IF NOT EXISTS api_tokens (
  token_hash    text PRIMARY KEY,
  person_id     text NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS api_tokens_person_idx ON api_tokens (person_id);

-- Shift handover log of a police post (警务岗交接班), each note tied to the open incidents it is about.
CREATE TABLE IF NOT EXISTS handover_notes (
  id              bigserial PRIMARY KEY,
  police_post_id  text NOT NULL REFERENCES police_posts (id),
  author_id       text NOT NULL,
  note            text NOT NULL,
  incident_ids    text[] NOT NULL DEFAULT '{}',
  at              timestamptz NOT NULL
);
CREATE INDEX IF NOT EXISTS handover_notes_post_idx ON handover_notes (police_post_id, at);

-- Typed SSE events, numbered by id (the SSE event id). The area columns let one filter serve
-- every caller's role; old rows are pruned, and a client asking to resume from a pruned id is
-- told to re-fetch a snapshot instead.
CREATE TABLE IF NOT EXISTS stream_events (
  id              bigserial PRIMARY KEY,
  type            text NOT NULL,
  at              timestamptz NOT NULL,
  data            jsonb NOT NULL,
  person_id       text,
  community_id    text,
  grid_id         text,
  segment_id      text,
  police_post_id  text
);
CREATE INDEX IF NOT EXISTS stream_events_at_idx ON stream_events (at);

-- The escalation timer scans open work by deadline.
CREATE INDEX IF NOT EXISTS incidents_sla_due_idx ON incidents (sla_due_at) WHERE sla_due_at IS NOT NULL;
